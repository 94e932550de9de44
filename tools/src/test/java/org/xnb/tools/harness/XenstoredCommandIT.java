package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xnb harness xenstored --socket PATH} as a real process: says where it listens, serves
 * Debian's tools, and removes its socket on SIGTERM.
 */
class XenstoredCommandIT {
    @TempDir
    Path dir;

    @Test
    void servesToolsAndCleansUpOnSigterm() throws Exception {
        Path jar = Path.of("target", "xnb.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through 'mvn verify' so that the jar is packaged: " + jar);
        if (!Files.isExecutable(Path.of("/usr/bin/xenstore-write"))) {
            fail("xenstore-write is missing: install Debian's xenstore-utils (bin/test does it as root)");
        }
        Path socket = dir.resolve("xs.sock");
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "harness", "xenstored",
                "--socket", socket.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("xenstored: listening on " + socket, out.readLine());
            assertTrue(Files.exists(socket));

            assertEquals(0, tool(socket, "xenstore-write", "/a/b", "v"));
            ProcessBuilder read = new ProcessBuilder("xenstore-read", "/a/b");
            read.environment().put("XENSTORED_PATH", socket.toString());
            Process r = read.start();
            String value = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(r.waitFor(20, TimeUnit.SECONDS));
            assertEquals("v\n", value);

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped on SIGTERM");
            assertFalse(Files.exists(socket), "socket removed on exit");
        } finally {
            p.destroyForcibly();
        }
    }

    private static int tool(Path socket, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("XENSTORED_PATH", socket.toString());
        Process t = pb.start();
        if (!t.waitFor(20, TimeUnit.SECONDS)) {
            t.destroyForcibly();
            fail(String.join(" ", cmd) + " hung");
        }
        return t.exitValue();
    }
}
