package org.xnb.tools.parity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xnb.tools.xenstore.XenstoreCommand;

/**
 * One way of running a xenstore tool against a socket: Debian's {@code /usr/bin/xenstore-MODE}
 * as a process, or {@code xnb xenstore MODE} in this JVM. Both are started and awaited
 * separately so that a watch can run while other steps change the tree.
 */
interface ToolRunner extends AutoCloseable {
    long TIMEOUT_S = 20;

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
    }

    /** A started run. */
    interface Running {
        Result await() throws Exception;
    }

    Running start(Path socket, String mode, List<String> args) throws Exception;

    default Result run(Path socket, String mode, List<String> args) throws Exception {
        return start(socket, mode, args).await();
    }

    @Override
    default void close() {
    }

    /** Debian's xenstore-utils (libxenstore 4.17), one process per run. */
    final class Debian implements ToolRunner {
        private final Path scratch;

        Debian(Path scratch) {
            this.scratch = scratch;
        }

        @Override
        public Running start(Path socket, String mode, List<String> args) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add("/usr/bin/xenstore-" + mode);
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("XENSTORED_PATH", socket.toString());
            pb.environment().remove("XENSTORED_RUNDIR");
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            return () -> {
                try {
                    if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                        throw new TimeoutException(String.join(" ", cmd) + " did not finish within " + TIMEOUT_S + " s");
                    }
                } finally {
                    p.destroyForcibly();
                }
                Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
                Files.delete(out);
                Files.delete(err);
                return r;
            };
        }
    }

    /** {@code xnb xenstore MODE} in-process, connected through XENSTORED_PATH like bin/xnb. */
    final class Ours implements ToolRunner {
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "xnb-xenstore-cli");
            t.setDaemon(true);
            return t;
        });

        @Override
        public Running start(Path socket, String mode, List<String> args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            List<String> argv = new ArrayList<>();
            argv.add(mode);
            argv.addAll(args);
            Future<Integer> exit = threads.submit(() -> XenstoreCommand.commandLine(
                    new XenstoreCommand(Map.of("XENSTORED_PATH", socket.toString()), o, e))
                    .execute(argv.toArray(new String[0])));
            return () -> {
                int code;
                try {
                    code = exit.get(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (TimeoutException te) {
                    exit.cancel(true);
                    throw new TimeoutException("xnb xenstore " + String.join(" ", argv)
                            + " did not finish within " + TIMEOUT_S + " s");
                }
                return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            };
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}
