package org.xnb.tools.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.parity.ToolRunner.Result;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;

/**
 * The "done when", literally: {@code bin/xnb harness xenstored --socket P} runs as a
 * real process (the packaged jar), {@code XENSTORED_PATH=P xenstore-write /a/b v &&
 * xenstore-read /a/b} prints {@code v}, {@code xnb xenstore read /a/b} prints the same, and a
 * guest-bound connection gets EACCES on another guest's node.
 */
class XenstoreDoneWhenIT {
    @TempDir
    Path dir;

    @Test
    void debianToolsAndOursAgainstTheXenstoredProcess() throws Exception {
        Path jar = Path.of("target", "xnb.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through 'mvn verify' so that the jar is packaged: " + jar);
        for (String t : List.of("xenstore-write", "xenstore-read")) {
            if (!Files.isExecutable(Path.of("/usr/bin", t))) {
                fail("/usr/bin/" + t + " is missing: install Debian's xenstore-utils "
                        + "(apt-get install xenstore-utils; bin/test does it when run as root)");
            }
        }
        Path socket = dir.resolve("xs.sock");
        Process xenstored = new ProcessBuilder("java", "-jar", jar.toString(), "harness", "xenstored",
                "--socket", socket.toString()).redirectErrorStream(true).start();
        try (ToolRunner debian = new ToolRunner.Debian(dir); ToolRunner ours = new ToolRunner.Ours()) {
            BufferedReader log = new BufferedReader(new InputStreamReader(xenstored.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("xenstored: listening on " + socket, log.readLine());

            assertEquals(new Result(0, "", ""), debian.run(socket, "write", List.of("/a/b", "v")));
            assertEquals(new Result(0, "v\n", ""), debian.run(socket, "read", List.of("/a/b")));
            assertEquals(new Result(0, "v\n", ""), ours.run(socket, "read", List.of("/a/b")));

            try (XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(socket))) {
                dom0.introduce(1, 0x1000, 1);
                dom0.introduce(2, 0x2000, 2);
            }
            Path guest1 = Path.of(socket + "-dom1");
            Path guest2 = Path.of(socket + "-dom2");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(guest1) && Files.exists(guest2));
            assertEquals(0, debian.run(guest1, "write", List.of("secret", "s")).exit());
            try (XenstoreClient other = XenstoreClient.connect(UnixSocketTransport.connect(guest2))) {
                XenstoreException e = assertThrows(XenstoreException.class,
                        () -> other.read("/local/domain/1/secret"));
                assertEquals(XsError.EACCES, e.error());
                e = assertThrows(XenstoreException.class, () -> other.write("/local/domain/1/secret", "x"));
                assertEquals(XsError.EACCES, e.error());
            }
            Result denied = ours.run(guest2, "read", List.of("/local/domain/1/secret"));
            assertEquals(new Result(1, "", "xenstore-read: couldn't read path /local/domain/1/secret\n"), denied);
            assertEquals(denied, debian.run(guest2, "read", List.of("/local/domain/1/secret")));
            assertEquals(new Result(0, "s\n", ""), ours.run(socket, "read", List.of("/local/domain/1/secret")));
        } finally {
            xenstored.destroy();
            if (!xenstored.waitFor(20, TimeUnit.SECONDS)) {
                xenstored.destroyForcibly();
            }
        }
        assertTrue(Files.notExists(socket), "the xenstored process removed its socket");
    }
}
