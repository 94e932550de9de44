package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.testing.RequireRoot;

/**
 * Issue 7's restart: {@code kill -9} of the daemon while iperf3 runs between two TAP-backed
 * harness guests, then the same daemon command again. The guests are not touched: their netfronts
 * stay Connected, the new daemon finds both ends Connected and re-attaches to the live rings. A
 * ping every 20 ms measures the outage: traffic must flow again (the goal, within 2 s of
 * the restart, is printed met or not; the figures go to docs/benchmarks.md) and the iperf3
 * connection must survive.
 */
class DaemonRestartIT {
    private static final Pattern PING_REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)\\] .*icmp_seq=(\\d+)");
    private static final Pattern RECEIVED_BYTES = Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");
    /** The goal, printed met or not: a timing, not a behaviour, so not asserted. */
    private static final double RESUME_GOAL_SECONDS = 2.0;
    /** What is asserted: traffic comes back, well before TCP would give the connection up. */
    private static final double RESUME_LIMIT_SECONDS = 15.0;

    @TempDir
    Path temp;

    Path dir;

    @BeforeAll
    static void tools() {
        RequireRoot.check();
        RequireRoot.requireTool("ping", "iputils-ping");
        RequireRoot.requireTool("iperf3", "iperf3");
    }

    @AfterEach
    void down() throws Exception {
        if (dir != null) {
            CommandRun.xnb(120, "harness", "down", "--dir", dir.toString());
        }
    }

    @Test
    void trafficResumesAfterKill9AndRestart() throws Exception {
        dir = temp.resolve("r");
        CommandRun.xnb(180, "harness", "up", "--guests", "2", "--tap", "--dir", dir.toString()).ok("harness up");
        RunDirectory run = new RunDirectory(dir.toAbsolutePath());
        ProcessHandle daemon = run.live(RunDirectory.BACKEND).orElseThrow(() -> new AssertionError(
                "harness up started no daemon backend:\n" + run.tail(RunDirectory.SERVE, 20)));
        List<String> daemonArgv = cmdline(daemon.pid());

        Path serverLog = temp.resolve("iperf3-server.log");
        Path clientLog = temp.resolve("iperf3-client.json");
        Path pingLog = temp.resolve("ping.log");
        Process server = new ProcessBuilder("ip", "netns", "exec", "xnb-g2", "iperf3", "-s", "-1", "-p", "5298")
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        Process client = null;
        Process ping = null;
        try {
            awaitListening("xnb-g2", 5298);
            client = new ProcessBuilder("ip", "netns", "exec", "xnb-g1", "iperf3", "-c", "198.18.0.2", "-p", "5298",
                    "-t", "24", "-i", "1", "-J").redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
            ping = new ProcessBuilder("ip", "netns", "exec", "xnb-g1", "ping", "-D", "-n", "-i", "0.02", "-W", "1",
                    "-w", "23", "198.18.0.2").redirectErrorStream(true).redirectOutput(pingLog.toFile()).start();
            Thread.sleep(4000);

            double killedAt = wallSeconds();
            CommandRun.run(10, "kill", "-9", Long.toString(daemon.pid())).ok("kill -9 the daemon");
            daemon.onExit().get(10, TimeUnit.SECONDS);
            Thread.sleep(1000); // the guests' traffic now goes nowhere
            double restartedAt = wallSeconds();
            Process again = DetachedProcess.start(daemonArgv, run.log(RunDirectory.BACKEND));
            run.writePid(RunDirectory.BACKEND, again.pid());

            assertTrue(client.waitFor(60, TimeUnit.SECONDS), "iperf3 did not finish");
            assertTrue(ping.waitFor(30, TimeUnit.SECONDS), "ping did not finish");
            List<double[]> replies = replies(Files.readString(pingLog, StandardCharsets.UTF_8));
            double lastBefore = replies.stream().mapToDouble(r -> r[0]).filter(t -> t < killedAt).max().orElse(-1);
            double firstAfter = replies.stream().mapToDouble(r -> r[0]).filter(t -> t > restartedAt).min().orElse(-1);
            String daemonLog = run.tail(RunDirectory.BACKEND, 40);
            assertTrue(lastBefore > 0, "no ping reply before the kill:\n" + Files.readString(pingLog));
            assertTrue(firstAfter > 0, "no ping reply after the restart; daemon log:\n" + daemonLog);
            double resumeSeconds = firstAfter - restartedAt;
            System.out.printf("restart: at %s; last reply %.3f s before kill -9, first reply %.3f s after the restart"
                    + " (outage %.3f s, 1 s of it with no daemon); goal < %.0f s after the restart: %s%n",
                    java.time.Instant.ofEpochMilli((long) (restartedAt * 1000)), killedAt - lastBefore, resumeSeconds,
                    firstAfter - lastBefore, RESUME_GOAL_SECONDS, resumeSeconds < RESUME_GOAL_SECONDS ? "met" : "NOT met");
            assertTrue(resumeSeconds < RESUME_LIMIT_SECONDS, "traffic resumed only " + resumeSeconds
                    + " s after the restart; daemon log:\n" + daemonLog);
            assertTrue(daemonLog.contains("re-attaching to the live rings"), daemonLog);

            String json = Files.readString(clientLog, StandardCharsets.UTF_8);
            assertEquals(0, client.exitValue(), "iperf3 failed across the restart:\n" + json);
            Matcher m = RECEIVED_BYTES.matcher(json);
            assertTrue(m.find(), "no received bytes in iperf3's JSON:\n" + json);
            assertTrue(Long.parseLong(m.group(1)) > 1_000_000, json);
            // bytes moved in the last intervals, after the restart
            assertTrue(lastIntervalsMoved(json), "nothing moved after the restart:\n" + json);
        } finally {
            for (Process p : Arrays.asList(client, ping, server)) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static double wallSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static List<String> cmdline(long pid) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> argv = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
        if (!argv.isEmpty() && argv.get(0).equals("setsid")) {
            argv.remove(0);
        }
        assertTrue(argv.contains("daemon"), "pid " + pid + " is not the daemon: " + argv);
        return argv;
    }

    private static void awaitListening(String ns, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            String out = CommandRun.run(10, "ip", "netns", "exec", ns, "ss", "-ltn").output();
            if (out.contains(":" + port + " ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("iperf3 -s did not listen on " + port + " in " + ns);
    }

    /** {time, seq} of each reply line of {@code ping -D}. */
    private static List<double[]> replies(String log) {
        List<double[]> out = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = PING_REPLY.matcher(line);
            if (m.find()) {
                out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        return out;
    }

    /** The last three 1 s intervals of iperf3's JSON each moved bytes. */
    private static boolean lastIntervalsMoved(String json) {
        Matcher m = Pattern.compile("\"sum\":\\s*\\{[^}]*?\"bytes\":\\s*(\\d+)").matcher(json);
        List<Long> intervals = new ArrayList<>();
        while (m.find()) {
            intervals.add(Long.parseLong(m.group(1)));
        }
        // the last "sum" entries of the intervals precede sum_sent/sum_received, which the pattern skips
        if (intervals.size() < 4) {
            return false;
        }
        for (long b : intervals.subList(intervals.size() - 3, intervals.size())) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }
}
