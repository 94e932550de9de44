package org.xnb.tools.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's programs inside the guests' namespaces (ping, iperf3), each with its output in a
 * file of the demo's directory; every one started is remembered so {@link #stopAll} ends it,
 * also on failure or Ctrl-C (deleting a namespace does not end the processes in it).
 */
final class GuestProcesses {
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\":\\s*\\{[^}]*?\"bytes\":\\s*([0-9]+)[^}]*?\"bits_per_second\":\\s*([0-9.e+]+)");

    /** What iperf3's receiver measured; {@code error} is non-null when the run failed. */
    record IperfResult(long bytes, double bitsPerSecond, String error) {
    }

    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private int n;

    GuestProcesses(Path dir) {
        this.dir = dir;
    }

    static boolean installed(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/usr/bin", tool));
    }

    /** {@code ip netns exec NS ARGV...} in the background; its output goes to the returned log. */
    synchronized Path start(String ns, String... argv) throws IOException {
        Path log = dir.resolve("out-" + (++n) + "-" + argv[0] + ".log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(log.toFile()).start();
        started.add(p);
        logs.add(log);
        return log;
    }

    private final List<Path> logs = new ArrayList<>();

    /** Waits for the process whose output is {@code log}; false if it is still running after the timeout. */
    boolean await(Path log, long seconds) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = started.get(logs.indexOf(log));
        }
        return p.waitFor(seconds, TimeUnit.SECONDS);
    }

    synchronized int exitCode(Path log) {
        Process p = started.get(logs.indexOf(log));
        return p.isAlive() ? -1 : p.exitValue();
    }

    static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * iperf3 TCP from {@code fromNs} to {@code toAddress}:{@code port} (a one-shot server in
     * {@code toNs}) for {@code seconds}; retried while the server is not listening yet.
     */
    IperfResult iperf(String fromNs, String toNs, String toAddress, int port, int seconds) throws Exception {
        start(toNs, "iperf3", "-s", "-1", "-p", Integer.toString(port));
        String out = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Path log = start(fromNs, "iperf3", "-c", toAddress, "-p", Integer.toString(port), "-t",
                    Integer.toString(seconds), "-J");
            if (!await(log, seconds + 30L)) {
                return new IperfResult(0, 0, "iperf3 to port " + port + " did not finish");
            }
            out = read(log);
            if (!out.contains("Connection refused") || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        Matcher m = RECEIVED.matcher(out);
        if (!m.find()) {
            String error = out.lines().filter(l -> l.contains("\"error\"")).findFirst().orElse(out.strip());
            return new IperfResult(0, 0, "iperf3 to port " + port + ": " + error.strip());
        }
        return new IperfResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), null);
    }

    /** Ends every process still running (SIGTERM, then SIGKILL); returns how many had to be ended. */
    synchronized int stopAll() {
        int ended = 0;
        for (Process p : started) {
            if (p.isAlive()) {
                ended++;
                p.destroy();
                try {
                    if (!p.waitFor(2, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(2, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }
        return ended;
    }

    synchronized long alive() {
        return started.stream().filter(Process::isAlive).count();
    }
}
