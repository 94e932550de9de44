package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** The {@code harness} command tree: help with examples, required arguments, up's argument check. */
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

    @Test
    void upAndDownHaveHelpWithTheReadmeExampleAndServeIsHidden() {
        String[] parent = run("harness", "--help");
        assertTrue(parent[1].contains("up") && parent[1].contains("down"), parent[1]);
        assertFalse(parent[1].contains("serve "), "serve is internal: " + parent[1]);
        String[] up = run("harness", "up", "--help");
        assertEquals("0", up[0]);
        assertTrue(up[1].contains("bin/xnb harness up --guests 2 --tap"), up[1]);
        assertTrue(up[1].contains("ip netns exec xnb-g1 ping -c 3 198.18.0.2"), up[1]);
        assertTrue(up[1].contains("/run/xnb-harness"), "the default DIR: " + up[1]);
        String[] down = run("harness", "down", "--help");
        assertEquals("0", down[0]);
        assertTrue(down[1].contains("bin/xnb harness down"), down[1]);
    }

    @Test
    void upRefusesAGuestCountOutOfRangeBeforeStartingAnything(@TempDir Path tmp) {
        Path dir = tmp.resolve("h");
        String[] r = run("harness", "up", "--guests", "0", "--dir", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--guests must be 1..250"), r[2]);
        assertFalse(Files.exists(dir), "nothing made");
    }
}
