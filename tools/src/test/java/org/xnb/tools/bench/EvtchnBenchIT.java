package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the two-process benchmark for real (it starts a second JVM) with few rounds. */
class EvtchnBenchIT {

    @Test
    void measuresBothDirectionsAndTheRoundTrip(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));

        assertEquals(0, cl.execute("evtchn", "--rounds", "2000", "--warmup", "200", "--dir", dir.toString()));

        for (String what : new String[] {"notify -> wake, to guest", "notify -> wake, to backend", "round trip"}) {
            Pattern row = Pattern.compile(Pattern.quote(what) + " +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+");
            assertEquals(1, out.toString().lines().filter(l -> row.matcher(l).matches()).count(), out.toString());
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the harness directory is removed");
        }
    }
}
