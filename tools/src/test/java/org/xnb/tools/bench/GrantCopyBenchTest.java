package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GrantCopyBenchTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printsOneRowPerSizeAndDirectionWithTheRatioAndCleansUp(@TempDir Path dir) throws Exception {
        assertEquals(0, run("grant-copy", "--seconds", "0.02", "--batch", "8", "--dir", dir.toString()));

        Pattern row = Pattern.compile("(64|1500|4096) +(from|to)-guest +[0-9.]+ +[0-9.]+ +[0-9.]+% +[0-9.]+");
        List<String> rows = out.toString().lines().filter(l -> row.matcher(l).matches()).toList();
        assertEquals(6, rows.size(), out.toString());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the harness directory is removed");
        }
    }

    @Test
    void refusesABadBatchAndRequiresABenchmark() {
        assertEquals(2, run("grant-copy", "--batch", "0"));
        assertTrue(err.toString().contains("--batch must be"), err.toString());
        assertEquals(2, run());
        assertTrue(err.toString().contains("a benchmark is required"), err.toString());
    }
}
