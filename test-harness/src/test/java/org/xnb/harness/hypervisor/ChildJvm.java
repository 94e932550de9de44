package org.xnb.harness.hypervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test classpath, talked to by lines on stdin/stdout.
 * {@link #close} kills it if it is still running, so a failing test leaves no process behind.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);
    private final Thread reader;

    /** A child that starts fast (C1 only): for tests that exchange few messages. */
    ChildJvm(Class<?> main, Path stderr, String... args) throws IOException {
        this(main, List.of("-XX:TieredStopAtLevel=1"), stderr, args);
    }

    /** A child with its own JVM options, e.g. none, so that a long stress run gets C2. */
    ChildJvm(Class<?> main, List<String> jvmOptions, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        String cp = System.getProperty("surefire.test.class.path");
        cmd.add(cp != null ? cp : System.getProperty("java.class.path"));
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                lines.offer("<stdout failed: " + e + ">");
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    void send(String line) {
        in.println(line);
    }

    /** The next line the child prints, or an AssertionError after {@code seconds}. */
    String nextLine(int seconds) throws InterruptedException {
        String line = pollLine(seconds);
        if (line == null) {
            throw new AssertionError("child printed nothing for " + seconds + " s (alive: " + process.isAlive() + ")");
        }
        return line;
    }

    /** The next line the child prints, or null if none comes within {@code seconds}. */
    String pollLine(int seconds) throws InterruptedException {
        return lines.poll(seconds, TimeUnit.SECONDS);
    }

    /** SIGKILL, as {@code kill -9}: the child closes nothing; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Exit code, or an AssertionError if it does not exit within {@code seconds}. */
    int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("child still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        in.close();
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
