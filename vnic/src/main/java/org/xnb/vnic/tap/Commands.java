package org.xnb.vnic.tap;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command with a deadline and collects its output. Output goes to temp
 * files rather than pipes so a chatty command can never block on a full pipe while we wait.
 * Control-plane only (link set-up, namespaces), never per frame.
 */
public final class Commands {
    private Commands() {
    }

    public static CommandResult run(Duration timeout, String... argv) {
        return run(timeout, List.of(argv));
    }

    public static CommandResult run(Duration timeout, List<String> argv) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("xnb-cmd-", ".out");
            err = Files.createTempFile("xnb-cmd-", ".err");
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                destroyTree(p);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
            }
            if (!done) {
                destroyTree(p);
            }
            return new CommandResult(List.copyOf(argv), done ? p.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), !done);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Kills a process and everything it started, and waits (bounded) for it to go. */
    public static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file; nothing better to do
            }
        }
    }
}
