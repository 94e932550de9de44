package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real xenstore-utils (libxenstore 4.17) against the harness xenstored, pointed at it
 * with XENSTORED_PATH: the proof that C clients accept our server unchanged. Observed: xs_open
 * sends nothing on connect; xenstore-ls uses DIRECTORY, READ and GET_PERMS (DIRECTORY_PART only
 * after an E2BIG).
 */
class XenstoreToolsIT {
    private static final long TOOL_TIMEOUT_S = 20;

    @TempDir
    Path dir;

    private XenstoredServer server;

    /** Output of one tool run. */
    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void toolsInstalled() {
        for (String t : List.of("xenstore-write", "xenstore-read", "xenstore-ls", "xenstore-rm",
                "xenstore-chmod", "xenstore-exists", "xenstore-list", "xenstore-watch")) {
            if (!Files.isExecutable(Path.of("/usr/bin", t))) {
                fail("/usr/bin/" + t + " is missing: install Debian's xenstore-utils "
                        + "(apt-get install xenstore-utils; bin/test does it when run as root)");
            }
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = XenstoredServer.start(dir.resolve("xs"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Run tool(Path socket, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        pb.environment().remove("XENSTORED_RUNDIR");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
                fail(String.join(" ", cmd) + " did not finish within " + TOOL_TIMEOUT_S + " s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run dom0(String... cmd) throws Exception {
        return tool(server.socketPath(), cmd);
    }

    private Run ok(Run r) {
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err());
        return r;
    }

    @Test
    void writeThenRead() throws Exception {
        ok(dom0("xenstore-write", "/a/b", "v"));
        assertEquals("v\n", ok(dom0("xenstore-read", "/a/b")).out());
        ok(dom0("xenstore-write", "/a/c", "1", "/a/d", "two words"));
        assertEquals("1\ntwo words\n", ok(dom0("xenstore-read", "/a/c", "/a/d")).out());
    }

    @Test
    void lsFullPathsWithPermissions() throws Exception {
        ok(dom0("xenstore-write", "/vm/name", "guest", "/vm/id", "7"));
        ok(dom0("xenstore-chmod", "/vm/id", "n0", "r7"));
        String out = ok(dom0("xenstore-ls", "-fp", "/vm")).out();
        assertEquals("/vm/name = \"guest\"   (n0)\n/vm/id = \"7\"   (n0,r7)\n", out);
        String all = ok(dom0("xenstore-ls", "-fp")).out();
        assertTrue(all.startsWith("/tool = \"\"   (n0)\n/tool/xenstored = \"\"   (n0)\n"), all);
    }

    @Test
    void listOfADirectoryOver4096BytesPagesWithDirectoryPart() throws Exception {
        List<String> args = new ArrayList<>(List.of("xenstore-write"));
        for (int i = 0; i < 200; i++) {
            args.add("/wide/a-rather-long-child-name-number-" + i);
            args.add("");
        }
        ok(dom0(args.toArray(new String[0])));
        String out = ok(dom0("xenstore-list", "/wide")).out();
        assertEquals(200, out.lines().count());
        assertTrue(out.lines().anyMatch("a-rather-long-child-name-number-199"::equals));
    }

    @Test
    void rmAndExistsExitCodes() throws Exception {
        ok(dom0("xenstore-write", "/r/x", "1"));
        assertEquals(0, dom0("xenstore-exists", "/r/x").exit());
        ok(dom0("xenstore-rm", "/r"));
        assertEquals(1, dom0("xenstore-exists", "/r/x").exit());
        assertEquals(1, dom0("xenstore-exists", "/r").exit());
        Run missing = dom0("xenstore-read", "/r/x");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("couldn't read path /r/x"), missing.err());
    }

    @Test
    void listPrintsChildren() throws Exception {
        ok(dom0("xenstore-write", "/l/one", "1", "/l/two", "2"));
        assertEquals("one\ntwo\n", ok(dom0("xenstore-list", "/l")).out());
    }

    @Test
    void chmodThenGuestAccess() throws Exception {
        ok(dom0("xenstore-write", "/shared/x", "hello"));
        ok(dom0("xenstore-chmod", "/shared", "r0"));
        ok(dom0("xenstore-chmod", "/shared/x", "n0", "r3"));
        Path g3 = server.introduceDomain(3);
        Path g4 = server.introduceDomain(4);
        assertEquals("hello\n", ok(tool(g3, "xenstore-read", "/shared/x")).out());
        Run denied = tool(g4, "xenstore-read", "/shared/x");
        assertEquals(1, denied.exit());
        assertTrue(denied.err().contains("couldn't read path /shared/x"), denied.err());
    }

    @Test
    void guestCannotTouchAnotherGuestsNodes() throws Exception {
        Path g1 = server.introduceDomain(1);
        Path g2 = server.introduceDomain(2);
        ok(tool(g1, "xenstore-write", "secret", "s"));
        assertEquals("s\n", ok(dom0("xenstore-read", "/local/domain/1/secret")).out());
        Run read = tool(g2, "xenstore-read", "/local/domain/1/secret");
        assertEquals(1, read.exit());
        assertTrue(read.err().contains("couldn't read path"), read.err());
        Run write = tool(g2, "xenstore-write", "/local/domain/1/secret", "x");
        assertEquals(1, write.exit());
        assertTrue(write.err().contains("could not write path"), write.err());
        Run rm = tool(g2, "xenstore-rm", "/local/domain/1/secret");
        assertEquals(1, rm.exit(), rm.err());
        assertEquals("s\n", ok(dom0("xenstore-read", "/local/domain/1/secret")).out());
        assertEquals("n1\n", ok(dom0("xenstore-ls", "-p", "/local/domain/1")).out()
                .replaceAll(".*\\((.*)\\)", "$1"));
    }

    @Test
    void watchPrintsEvents() throws Exception {
        ok(dom0("xenstore-write", "/w", ""));
        ProcessBuilder pb = new ProcessBuilder("xenstore-watch", "-n", "3", "/w");
        pb.environment().put("XENSTORED_PATH", server.socketPath().toString());
        Path out = Files.createTempFile(dir, "watch", ".txt");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> server.watchCount() == 1);
            ok(dom0("xenstore-write", "/w/a", "1"));
            ok(dom0("xenstore-rm", "/w/a"));
            assertTrue(p.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS), "xenstore-watch -n 3 ended");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        assertEquals("/w\n/w/a\n/w/a\n", Files.readString(out));
    }
}
