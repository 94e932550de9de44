package org.xnb.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command runs its whole tour and says so in its last line. */
class DemoCommandTest {

    @Test
    void tourSucceedsAndEndsWithTheVerdict() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new DemoCommand(new PrintStream(buf, true, StandardCharsets.UTF_8)).call();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("guest writing the backend's state -> EACCES"), out);
        assertTrue(out.contains("the conflicting transaction -> EAGAIN"), out);
        assertTrue(out.contains("/local/domain/0/backend/vif/1/0/mac = \"00:16:3e:00:00:01\"   (n0,r1)"), out);
        String[] lines = out.strip().split("\n");
        assertEquals("demo: OK - every step worked", lines[lines.length - 1]);
    }
}
