package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xnb.tools.Main;
import picocli.CommandLine;

class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void ringsPrintsCommandAndOneRowPerTrialPlusMedian() {
        int code = run("bench", "rings", "--entries", "200000", "--trials", "2", "--warmup", "0");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("command: bin/xnb bench rings --entries 200000 --trials 2 --warmup 0 --batch 64"
                + " --spin-polls 100"), text);
        Pattern row = Pattern.compile("(?m)^(1|2|median)\\s+([\\d,]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)$");
        Matcher m = row.matcher(text);
        int rows = 0;
        while (m.find()) {
            rows++;
            long perSecond = Long.parseLong(m.group(2).replace(",", ""));
            assertTrue(perSecond > 0, text);
            // kicks per million entries can never exceed one per entry
            assertTrue(Double.parseDouble(m.group(3)) <= 1e6, text);
        }
        assertEquals(3, rows, text);
    }

    @Test
    void badOptionIsOneLineAndUsageExitCode() {
        int code = run("bench", "rings", "--batch", "0");
        assertEquals(2, code);
        assertEquals("rings: --batch must be between 1 and 256: 0", err.toString().trim());
    }

    @Test
    void benchWithoutSubcommandIsAUsageError() {
        assertEquals(2, run("bench"));
        assertTrue(err.toString().contains("a benchmark is required"), err.toString());
    }

    @Test
    void helpShowsExample() {
        assertEquals(0, run("bench", "rings", "--help"));
        assertTrue(out.toString().contains("bin/xnb bench rings --entries"), out.toString());
    }
}
