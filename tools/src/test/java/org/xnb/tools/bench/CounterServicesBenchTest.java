package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** {@code bench metrics} runs small, checks its own scrapes and samples, and refuses silly sizes. */
class CounterServicesBenchTest {
    @TempDir
    Path dir;

    @Test
    void aSmallRunPrintsBothTimesAndTheScrapeSize() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute("bench", "metrics", "--lanes", "3", "--rounds", "5", "--dir", dir.toString()),
                err.toString());
        String text = out.toString();
        assertTrue(text.contains("counters file of 16384 counters, 3 lanes, 5 rounds"), text);
        assertTrue(text.matches("(?s).*scrape \\(HTTP GET, \\d+ bytes\\): p50 [\\d.]+ ms, p99 [\\d.]+ ms.*"), text);
        assertTrue(text.contains("usage sample (3 records appended): p50 "), text);
        assertEquals(0, dir.toFile().list().length, "the throw-away files are removed");

        assertEquals(2, cl.execute("bench", "metrics", "--lanes", "5000"));
        assertTrue(err.toString().contains("--lanes must be 1..1024 and --rounds >= 1"), err.toString());
    }
}
