package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xnb bench netback} in-process with tiny durations: the rows, the memcpy line, the goals, no leftovers. */
class NetbackBenchTest {
    private static final Pattern ROW = Pattern.compile(
            "(1 \\(guests\\+backend\\)|2 \\(netfronts \\| backend\\)) +(64 B|1514 B|64 KiB GSO) +([0-9.]+) +([0-9.]+)"
                    + " +([0-9.]+) +(-|[0-9.]+) +([0-9]+) +(ok|BAD)");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printsSixRowsThatMovedPacketsWithoutDropsThenMemcpyAndTheGoals(@TempDir Path dir) throws Exception {
        assertEquals(0, run("netback", "--seconds", "0.05", "--warmup", "0.01", "--dir", dir.toString()), err.toString());

        String text = out.toString();
        assertTrue(text.startsWith("xnb bench netback --seconds 0.05 --warmup 0.01"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("host: \\d+ CPUs, .*Java .*load average .*")), text);
        List<Matcher> rows = text.lines().map(ROW::matcher).filter(Matcher::matches).toList();
        assertEquals(6, rows.size(), text);
        for (Matcher m : rows) {
            // Mpps has three decimals, Gbit/s two: at 64 B under a loaded machine Gbit/s rounds to 0.00
            assertTrue(Double.parseDouble(m.group(3)) > 0, "packets delivered: " + m.group());
            assertEquals("0", m.group(7), "no drops: " + m.group());
            assertEquals("ok", m.group(8), "a frame sent after the window arrives intact: " + m.group());
            assertEquals(m.group(1).startsWith("1"), m.group(6).equals("-"), "backend CPU only when on its own thread");
        }
        assertTrue(text.lines().anyMatch(l -> l.matches("memcpy, one core, .*: [0-9.]+ GB/s = [0-9.]+ Gbit/s")), text);
        assertEquals(2, text.lines().filter(l -> l.startsWith("goal 64 B >= 4 Mpps")).count(), text);
        assertEquals(2, text.lines().filter(l -> l.matches("goal GSO >= 1/2 memcpy: .* = [0-9.]+ of memcpy, (met|NOT met)"))
                .count(), text);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the harness directories are removed");
        }
    }

    @Test
    void refusesANonPositiveDuration() {
        assertEquals(2, run("netback", "--seconds", "0"));
        assertTrue(err.toString().contains("--seconds must be"), err.toString());
    }
}
