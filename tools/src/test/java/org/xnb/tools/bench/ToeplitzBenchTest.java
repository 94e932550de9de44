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

class ToeplitzBenchTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void printsOneTimedRowPerVariant() {
        assertEquals(0, run("bench", "toeplitz", "--frames", "10000"), err.toString());
        Matcher m = Pattern.compile("(?m)^(netif\\.h|table|frame|select).*?\\s+(\\d+\\.\\d)$").matcher(out.toString());
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(Double.parseDouble(m.group(2)) > 0, out.toString());
        }
        assertEquals(9, rows, out.toString());
    }

    @Test
    void badFrameCountIsOneLine() {
        assertEquals(2, run("bench", "toeplitz", "--frames", "5"));
        assertEquals("toeplitz: --frames must be 10000..1000000000: 5", err.toString().trim());
    }
}
