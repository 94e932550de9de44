package org.xnb.vnic.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;

/**
 * A long-running command (an iperf3 server, a ping) whose output goes to temp files that can be
 * read while it runs. close() kills it and everything it started and deletes the files.
 */
public final class BackgroundProcess implements AutoCloseable {
    private final List<String> argv;
    private final Process process;
    private final Path out;
    private final Path err;

    private BackgroundProcess(List<String> argv, Process process, Path out, Path err) {
        this.argv = argv;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static BackgroundProcess start(List<String> argv) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("xnb-bg-", ".out");
            err = Files.createTempFile("xnb-bg-", ".err");
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new BackgroundProcess(List.copyOf(argv), p, out, err);
        } catch (IOException e) {
            deleteQuietly(out);
            deleteQuietly(err);
            throw new UncheckedIOException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Output so far. */
    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    /** Waits for the command to end by itself; on timeout kills it and reports timedOut. */
    public CommandResult await(Duration timeout) {
        boolean done;
        try {
            done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            Commands.destroyTree(process);
        }
        return new CommandResult(argv, done ? process.exitValue() : -1, stdout(), stderr(), !done);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Commands.destroyTree(process);
        }
        deleteQuietly(out);
        deleteQuietly(err);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    @Override
    public String toString() {
        return String.join(" ", argv) + " (pid " + process.pid() + ")";
    }
}
