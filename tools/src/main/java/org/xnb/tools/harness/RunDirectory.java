package org.xnb.tools.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directory of a harness that {@code harness up} started in the background: the simulated
 * host's files (the {@code HarnessDirectory} itself: {@code hypervisor}, {@code domains/},
 * {@code doorbells/}), the xenstored socket, and one {@code NAME.pid} and {@code NAME.log} per
 * background process.
 *
 * <pre>
 *  DIR/xenstored.sock        dom0's xenstore socket (xenstored.sock-domN: guest N's)
 *  DIR/serve.pid, serve.log  the harness process: xenstored, the domains, the guests
 *  DIR/backend.pid, .log     the backend (bin/xnb daemon --harness DIR ...)
 *  DIR/hypervisor, domains/, doorbells/   the simulated hypervisor
 * </pre>
 */
public record RunDirectory(Path dir) {
    public static final Path DEFAULT = Path.of("/run/xnb-harness");
    public static final String SERVE = "serve";
    public static final String BACKEND = "backend";

    public Path xenstoredSocket() {
        return dir.resolve("xenstored.sock");
    }

    public Path pidFile(String name) {
        return dir.resolve(name + ".pid");
    }

    public Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** The pid recorded for {@code name}, if the file is there and holds a number. */
    public Optional<Long> pid(String name) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile(name), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void writePid(String name, long pid) throws IOException {
        Files.writeString(pidFile(name), pid + "\n", StandardCharsets.US_ASCII);
    }

    /** Names with a pid file. */
    public List<String> processNames() {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                    .forEach(n -> names.add(n.substring(0, n.length() - 4)));
        } catch (IOException e) {
            // no directory: no processes
        }
        return names;
    }

    /** The live process recorded under {@code name} whose command line names this directory. */
    public Optional<ProcessHandle> live(String name) {
        return pid(name).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(this::ours);
    }

    /**
     * Whether {@code p} is an xnb process started for this directory: its command line runs
     * {@code org.xnb.tools.Main} (as {@link DetachedProcess} starts them) and has this directory as
     * an argument. A recycled pid, or a shell that merely names the directory, is not ours.
     */
    public boolean ours(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
            return cmd.contains(" " + DetachedProcess.MAIN + " ") && cmd.contains(" " + dir.toAbsolutePath() + " ");
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of a log, for error messages. */
    public String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(log(name), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + log(name) + ")";
        }
    }
}
