package org.xnb.tools.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnb.vnic.testing.BackgroundProcess;

/**
 * {@code java -jar target/xnb.jar daemon ...} as a child process, the way tapguest's
 * {@code harness up} and the real-Xen rig start it; waits for its ready file.
 */
final class DaemonProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "xnb.jar");
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    final BackgroundProcess process;
    final Path readyFile;

    private DaemonProcess(BackgroundProcess process, Path readyFile) {
        this.process = process;
        this.readyFile = readyFile;
    }

    static DaemonProcess start(Path harness, String... extra) throws InterruptedException {
        return start(List.of(), harness, extra);
    }

    /** {@code prefix}: e.g. {@code ip netns exec NS} to run the daemon inside a namespace. */
    static DaemonProcess start(List<String> prefix, Path harness, String... extra) throws InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            fail(JAR.toAbsolutePath() + " is missing: build it with `mvn -B -o -pl tools -am -DskipTests package` "
                    + "(failsafe runs after the package phase, so `mvn verify` has it)");
        }
        Path ready = harness.resolve("xnb.ready");
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "daemon", "--harness", harness.toString(), "--ready-file",
                ready.toString()));
        argv.addAll(List.of(extra));
        DaemonProcess d = new DaemonProcess(BackgroundProcess.start(argv), ready);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (!Files.exists(ready)) {
            if (!d.process.isAlive()) {
                d.close();
                fail("the daemon exited before it was ready: exit " + d.process.process().exitValue() + "\n"
                        + d.process.stderr());
            }
            if (System.nanoTime() > deadline) {
                String err = d.process.stderr();
                d.close();
                fail("the daemon was not ready within " + READY_WAIT + ":\n" + err);
            }
            Thread.sleep(50);
        }
        return d;
    }

    String log() {
        return process.stderr();
    }

    /** SIGTERM and the exit code (fails the test if it does not end within 30 s). */
    int terminate() throws InterruptedException {
        Process p = process.process();
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop within 30 s of SIGTERM:\n" + log());
        return p.exitValue();
    }

    @Override
    public void close() {
        process.close();
    }
}
