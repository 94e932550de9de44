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
import org.xnb.tools.Main;
import picocli.CommandLine;

/**
 * {@code xnb bench lanes} with tiny durations: a row per policy and guest count whose frames all
 * arrived intact (every frame is checked by its receiver, and the bench drains before judging),
 * the idle rows, the idle-guests line, the etherstub row (the TAP row needs root: {@code --no-tap}
 * here; it runs in the bench) and the three goals; nothing left in the harness directory.
 */
class LanesBenchTest {
    private static final Pattern LOAD = Pattern.compile("(dynamic|interrupt-only|poll-only) +([0-9]+) +([0-9.]+)"
            + " +([0-9.]+) +([0-9.]+|NaN) +([0-9.]+) +([0-9.]+|NaN) +([0-9.]+)% +([0-9]+) +(.*)");
    private static final Pattern IDLE = Pattern.compile("(dynamic|interrupt-only|poll-only) +([0-9.]+) +([0-9.]+) +([0-9.]+)");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void everyPolicyAndGuestCountHasARowWhoseFramesArrivedIntact(@TempDir Path dir) throws Exception {
        assertEquals(0, run("bench", "lanes", "--seconds", "0.3", "--warmup", "0.1", "--guests", "1,2",
                "--idle-seconds", "0.2", "--idle-guests", "3", "--no-tap", "--dir", dir.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.startsWith("xnb bench lanes --seconds 0.3 --warmup 0.1 --guests 1,2"), text);
        List<Matcher> rows = text.lines().map(LOAD::matcher).filter(Matcher::matches).toList();
        assertEquals(6, rows.size(), text);
        for (String policy : List.of("dynamic", "interrupt-only", "poll-only")) {
            for (String n : List.of("1", "2")) {
                Matcher m = rows.stream().filter(r -> r.group(1).equals(policy) && r.group(2).equals(n)).findFirst()
                        .orElseThrow(() -> new AssertionError("no row " + policy + " " + n + ":\n" + text));
                assertTrue(Double.parseDouble(m.group(3)) > 0, "packets moved: " + m.group());
                assertEquals("ok", m.group(10), "every frame arrived, in order, intact: " + m.group());
            }
        }
        // the modes did what they say: interrupt-only never polled, poll-only never blocked
        for (Matcher m : rows) {
            if (m.group(1).equals("interrupt-only")) {
                assertEquals(0.0, Double.parseDouble(m.group(8)), m.group());
            }
            if (m.group(1).equals("poll-only")) {
                assertEquals(100.0, Double.parseDouble(m.group(8)), m.group());
                assertEquals("0", m.group(9), m.group());
            }
        }
        assertEquals(3, text.lines().map(IDLE::matcher).filter(Matcher::matches).count(), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("3 idle guests \\(connected vifs.*\\): process [0-9.]+ % of one"
                + " core, lanes [0-9.]+ %")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("etherstub: guest -> guest +[0-9.]+ +[0-9.]+ +[0-9.]+ +ok .*")
                && !l.matches(".* 0\\.000 .*")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("TAP uplink: guest -> dom0 +- +- +- +skipped: --no-tap")), text);
        assertEquals(2, text.lines().filter(l -> l.matches("goal under load, dynamic >= 2x interrupt-only: [12] guest\\(s\\):"
                + " .* = [0-9.]+x, (met|NOT met)")).count(), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("goal idle, dynamic lanes' CPU equal to interrupt-only .*, (met|NOT met)")),
                text);
        assertTrue(text.lines().anyMatch(l -> l.matches("goal 3 idle guests < 2 % of one core .*, (met|NOT met)")), text);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the harness directories are removed");
        }
    }

    @Test
    void badGuestListsSayWhatIsAllowed() {
        assertEquals(2, run("bench", "lanes", "--guests", "0"));
        assertTrue(err.toString().contains("--guests must be a comma list of distinct numbers 1..32"), err.toString());
        assertEquals(2, run("bench", "lanes", "--guests", "2,2"));
        assertEquals(2, run("bench", "lanes", "--seconds", "0"));
        assertTrue(err.toString().contains("--seconds and --idle-seconds must be in (0, 600]"), err.toString());
        assertEquals(2, run("bench", "lanes", "--idle-guests", "251"));
        assertTrue(err.toString().contains("--idle-guests must be 1..250, not 251"), err.toString());
    }
}
