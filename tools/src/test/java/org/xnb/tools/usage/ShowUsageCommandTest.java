package org.xnb.tools.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShowUsageCommandTest {
    static final long T0 = UsageReportTest.T0; // 12/01/2025,08:00:00 UTC

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void journal() {
        try (UsageJournal j = UsageJournal.openForAppend(dir.resolve("usage"))) {
            for (int i = 0; i < 6; i++) {
                long s = T0 + i * 60_000L;
                j.append(new UsageRecord("web0", "", s, s + 60_000, 750_000L * (i + 1), 0, 10, 0, 0));
                j.append(new UsageRecord("db0", "", s, s + 60_000, 7_500, 7_500, 1, 1, 0));
            }
        }
    }

    private int run(String... args) {
        ShowUsageCommand c = new ShowUsageCommand();
        c.zone = ZoneOffset.UTC;
        CommandLine cl = new CommandLine(c).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void summaryOfEveryLink() {
        assertEquals(0, run("-f", dir.resolve("usage").toString()));
        String[] lines = out.toString().split("\n");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[1].startsWith("web0         360        60        15750000"), lines[1]);
        assertTrue(lines[2].startsWith("db0          360        6         45000"), lines[2]);
    }

    @Test
    void oneLinkWithinStartAndEnd() {
        assertEquals(0, run("-f", dir.resolve("usage").toString(), "-s", "12/01/2025,08:01:00", "-e", "12/01/2025,08:03:00", "web0"));
        assertEquals(""
                + "LINK         START         END           RBYTES   OBYTES   BANDWIDTH\n"
                + "web0         08:01:00      08:02:00      1500000  0        0.200 Mbps\n"
                + "web0         08:02:00      08:03:00      2250000  0        0.300 Mbps\n", out.toString());
    }

    @Test
    void plotDrawsOneLinePerLinkWithAPointPerInterval() throws Exception {
        Path svg = dir.resolve("u.svg");
        assertEquals(0, run("-f", dir.resolve("usage").toString(), "--plot", svg.toString()));
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), text);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("data-link=\"(\\w+)\"[^>]*points=\"([^\"]+)\"").matcher(text);
        assertTrue(m.find());
        assertEquals("web0", m.group(1));
        String[] pts = m.group(2).split(" ");
        assertEquals(6, pts.length);
        // rising bandwidth: y (SVG grows downwards) falls from point to point; the last is the maximum
        double prevY = Double.MAX_VALUE;
        for (String p : pts) {
            double y = Double.parseDouble(p.split(",")[1]);
            assertTrue(y < prevY, m.group(2));
            prevY = y;
        }
        assertTrue(m.find());
        assertEquals("db0", m.group(1));
        assertTrue(text.contains(">08:00:00</text>") && text.contains(">08:06:00</text>"), "time axis from first start to last end");
    }

    @Test
    void badTimeAndMissingJournalAreErrors() {
        assertEquals(2, run("-f", dir.resolve("usage").toString(), "-s", "yesterday"));
        assertTrue(err.toString().contains("-s: 'yesterday' is not a time like"), err.toString());
        assertEquals(1, run("-f", dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("no usage journal at"), err.toString());
    }
}
