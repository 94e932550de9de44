package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** The {@code harness} command tree: help with examples, required arguments. */
class HarnessCommandTest {

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void harnessIsAParentWithXenstored() {
        String[] r = run("harness", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("xenstored"), r[1]);
        assertTrue(r[1].contains("Example"), r[1]);
        assertNotEquals("0", run("harness")[0], "a subcommand is required");
    }

    @Test
    void xenstoredHelpHasAnExampleAndSocketIsRequired() {
        String[] r = run("harness", "xenstored", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("--socket"), r[1]);
        assertTrue(r[1].contains("XENSTORED_PATH="), r[1]);
        String[] missing = run("harness", "xenstored");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--socket"), missing[2]);
    }
}
