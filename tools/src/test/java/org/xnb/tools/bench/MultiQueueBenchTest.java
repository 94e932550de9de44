package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code xnb bench multiqueue} in-process with tiny durations: a row for every queues x flows x
 * frame, frames delivered in order and intact through real multi-queue vifs, the side-by-side
 * table, the verdicts, no leftovers; bad lists refused.
 */
class MultiQueueBenchTest {
    private static final Pattern ROW = Pattern.compile("(\\d+) +(\\d+) +(64 B|1514 B) +(\\d+) +([0-9.]+) +([0-9.]+)"
            + " +([0-9.]+) +([0-9.]+) +[0-9.]+ +([0-9/]+) +(\\d+) +(\\d+) +\\d+ +\\d+ +(ok|BAD) +(ok|BAD)");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void everyRowMovesFramesInOrderAndIntactOverEveryQueueThenTheTableAndVerdicts(@TempDir Path dir) throws Exception {
        assertEquals(0, run("multiqueue", "--seconds", "0.1", "--warmup", "0.05", "--queues", "1,2", "--flows", "1,4",
                "--dir", dir.toString()), err.toString() + out);

        String text = out.toString();
        assertTrue(text.startsWith("xnb bench multiqueue --seconds 0.1 --warmup 0.05 --queues 1,2 --flows 1,4"), text);
        List<Matcher> rows = text.lines().map(ROW::matcher).filter(Matcher::matches).toList();
        assertEquals(8, rows.size(), text);
        Set<String> seen = new HashSet<>();
        for (Matcher m : rows) {
            seen.add(m.group(1) + "q " + m.group(2) + "f " + m.group(3));
            assertTrue(Long.parseLong(m.group(4)) > 0, "frames delivered: " + m.group());
            assertEquals("ok", m.group(12), "per-flow order: " + m.group());
            assertEquals("ok", m.group(13), "sampled frames byte for byte: " + m.group());
            assertTrue(Double.parseDouble(m.group(8)) > 0, "the guest threads' CPU is measured: " + m.group());
            String[] share = m.group(9).split("/");
            assertEquals(Integer.parseInt(m.group(1)), share.length, "a share per queue of B: " + m.group());
            if (m.group(1).equals("2") && m.group(2).equals("4")) {
                for (String s : share) {
                    assertTrue(Integer.parseInt(s) > 0, "4 flows on 2 queues use both of B's lanes: " + m.group());
                }
            }
        }
        assertEquals(8, seen.size(), "every queues x flows x frame once: " + seen);
        assertTrue(text.contains("Mpps 1q       Mpps 2q     Gbit/s 1q     Gbit/s 2q"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("1 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("4 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+")), text);
        assertEquals(2, text.lines().filter(l -> l.matches("goal 1 -> 2 queues >= 1.7x with many flows, .* (met|NOT met)"))
                .count(), text);
        assertEquals(4, text.lines().filter(l -> l.matches("goal never lower with more flows, .* (met|NOT met)"))
                .count(), text);
        assertTrue(text.contains("guest -> dom0 (TAP): not measured"), text);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the harness directories are removed");
        }
    }

    @Test
    void refusesBadListsAndDurations() {
        assertEquals(2, run("multiqueue", "--queues", "0,2"));
        assertTrue(err.toString().contains("--queues must be a comma-separated list of 1..8"), err.toString());
        assertEquals(2, run("multiqueue", "--flows", "1,65"));
        assertTrue(err.toString().contains("--flows must be a comma-separated list of 1..64"), err.toString());
        assertEquals(2, run("multiqueue", "--seconds", "0"));
        assertTrue(err.toString().contains("--seconds must be"), err.toString());
        assertEquals(2, run("multiqueue", "--flows", "x"));
    }
}
