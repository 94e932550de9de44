package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.testing.RequireRoot;

/**
 * The done-when, as a new user would type it: {@code bin/xnb harness up --guests 2 --tap},
 * ping and iperf3 (IPv4 and IPv6, TSO frames arriving whole) between the guests' namespaces (and
 * to dom0's when the backend is the daemon with its uplink), {@code harness down} leaving no
 * namespace, TAP device, process or directory;
 * and the same clean-up after {@code kill -9} of every harness process. Runs the packaged jar
 * in separate processes; {@code harness down} runs after each test whatever happened.
 */
class HarnessUpDownIT {
    private static final Pattern RETRANSMITS = Pattern.compile("\"sum_sent\":\\s*\\{[^}]*\"retransmits\":\\s*(\\d+)");
    private static final Pattern SENT_BYTES = Pattern.compile("\"sum_sent\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");
    private static final Pattern RECEIVED_BYTES = Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");

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
    void upPingIperfDown() throws Exception {
        dir = temp.resolve("h");
        CommandRun up = CommandRun.xnb(180, "harness", "up", "--guests", "2", "--tap", "--dir", dir.toString()).ok("harness up");
        assertTrue(up.output().contains("ip netns exec xnb-g1 ping -c 3 198.18.0.2"), up.output());
        boolean dom0 = up.output().contains("xnb-dom0");

        ping("xnb-g1", "198.18.0.2");
        ping("xnb-g2", "198.18.0.1");
        ping("xnb-g1", "2001:2::2");
        if (dom0) {
            ping("xnb-g1", HarnessUpCommand.DOM0_ADDRESS);
        }
        iperf("xnb-g2", "198.18.0.2");
        // TSO end to end: guest 2's kernel received whole GSO frames, not 1514-byte ones
        long rxBytes = Long.parseLong(sysStat("xnb-g2", "rx_bytes"));
        long rxPackets = Long.parseLong(sysStat("xnb-g2", "rx_packets"));
        assertTrue(rxBytes / rxPackets > 8000, "guest 2 received " + rxPackets + " frames of " + rxBytes + " bytes");
        iperf("xnb-g2", "2001:2::2");
        if (dom0) {
            iperf("xnb-dom0", HarnessUpCommand.DOM0_ADDRESS);
        }

        CommandRun again = CommandRun.xnb(60, "harness", "up", "--guests", "2", "--tap", "--dir", dir.toString());
        assertNotEquals(0, again.exitCode());
        assertTrue(again.output().contains("already up"), again.output());

        CommandRun down = CommandRun.xnb(120, "harness", "down", "--dir", dir.toString()).ok("harness down");
        assertTrue(down.output().contains("removed"), down.output());
        assertNothingLeft();

        CommandRun idle = CommandRun.xnb(60, "harness", "down", "--dir", dir.toString()).ok("harness down (nothing up)");
        assertTrue(idle.output().contains("nothing is up"), idle.output());
    }

    /**
     * The multi-queue done-when: {@code harness up --guests 2 --tap --queues 2}, iperf3 with 8
     * connections from guest 1 to guest 2: both lanes of guest 1's vif take its frames (its
     * kernel's multi-queue TAP spreads the flows, as Linux netfront's queue selection) and both
     * lanes of guest 2's vif deliver (netback's flow hash), as the counters file shows them.
     */
    @Test
    void twoQueuesSpreadAGuestsTrafficOverTwoLanes() throws Exception {
        dir = temp.resolve("q");
        CommandRun.xnb(180, "harness", "up", "--guests", "2", "--tap", "--queues", "2", "--dir", dir.toString())
                .ok("harness up --queues 2");
        ping("xnb-g1", "198.18.0.2");
        Process server = new ProcessBuilder("ip", "netns", "exec", "xnb-g2", "iperf3", "-s", "-1", "-p", "5298")
                .redirectErrorStream(true).redirectOutput(temp.resolve("iperf3-q.log").toFile()).start();
        try {
            CommandRun client = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                client = CommandRun.run(60, "ip", "netns", "exec", "xnb-g1", "iperf3", "-c", "198.18.0.2", "-p", "5298",
                        "-t", "3", "-P", "8", "-J");
                if (!client.output().contains("Connection refused")) {
                    break;
                }
                Thread.sleep(100);
            }
            client.ok("iperf3 -P 8");
            assertTrue(number(RECEIVED_BYTES, client.output()) > 1_000_000, client.output());
        } finally {
            server.destroy();
            server.waitFor();
        }
        long[] in1 = new long[2];
        long[] out2 = new long[2];
        try (org.xnb.vnic.stat.CountersFileReader reader = org.xnb.vnic.stat.CountersFileReader.open(
                dir.resolve("counters"))) {
            for (org.xnb.vnic.stat.LaneStats st : reader.lanes()) {
                if (st.link().equals("vif1.0")) {
                    in1[st.index()] = st.get(org.xnb.vnic.stat.LaneCounter.IPKTS);
                }
                if (st.link().equals("vif2.0")) {
                    out2[st.index()] = st.get(org.xnb.vnic.stat.LaneCounter.OPKTS);
                }
            }
        }
        for (int q = 0; q < 2; q++) {
            assertTrue(in1[q] > 100, "vif1.0 lane " + q + " took " + java.util.Arrays.toString(in1));
            assertTrue(out2[q] > 100, "vif2.0 lane " + q + " delivered " + java.util.Arrays.toString(out2));
        }
        CommandRun.xnb(120, "harness", "down", "--dir", dir.toString()).ok("harness down");
        assertNothingLeft();
    }

    @Test
    void downCleansUpAfterKill9() throws Exception {
        dir = temp.resolve("k");
        CommandRun.xnb(180, "harness", "up", "--guests", "2", "--tap", "--dir", dir.toString()).ok("harness up");
        List<Long> pids = new ArrayList<>();
        // backend before serve, so the daemon is killed rather than exiting when xenstored goes
        for (String name : new RunDirectory(dir).processNames().stream().sorted().toList()) {
            new RunDirectory(dir).pid(name).ifPresent(pids::add);
        }
        assertFalse(pids.isEmpty(), "harness up recorded its processes");
        for (long pid : pids) {
            // the daemon may already have exited on its own once xenstored (in serve) was gone
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isPresent()) {
                CommandRun.run(10, "kill", "-9", Long.toString(pid));
                p.get().onExit().get();
            }
        }
        assertTrue(namespaces().contains("xnb-g1"), "a crash leaves the namespaces: " + namespaces());

        CommandRun.xnb(120, "harness", "down", "--dir", dir.toString()).ok("harness down after kill -9");
        assertNothingLeft();
    }

    private void ping(String ns, String address) throws Exception {
        CommandRun.run(30, "ip", "netns", "exec", ns, "ping", "-c", "3", "-W", "5", address)
                .ok("ping " + address + " from " + ns);
    }

    /** iperf3 TCP, 3 s from xnb-g1 to a server in {@code serverNs}: bytes arrive, retransmits stay a small fraction. */
    private void iperf(String serverNs, String address) throws Exception {
        Path serverLog = temp.resolve("iperf3-" + serverNs + ".log");
        Process server = new ProcessBuilder("ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-p", "5299")
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        try {
            CommandRun client = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                client = CommandRun.run(60, "ip", "netns", "exec", "xnb-g1", "iperf3", "-c", address, "-p", "5299",
                        "-t", "3", "-J");
                // iperf3 -J may exit 0 with an "error" in its JSON
                if (!client.output().contains("Connection refused")) {
                    break;
                }
                Thread.sleep(100); // the server is not listening yet
            }
            client.ok("iperf3 to " + address + " (server: " + Files.readString(serverLog) + ")");
            long sent = number(SENT_BYTES, client.output());
            long received = number(RECEIVED_BYTES, client.output());
            long retransmits = number(RETRANSMITS, client.output());
            assertTrue(received > 1_000_000, "iperf3 to " + address + " moved only " + received + " bytes");
            long segments = sent / 1448;
            // a retransmit storm is a large share of the segments; a few drops when a receiver falls behind are TCP
            assertTrue(retransmits * 5 < segments, "iperf3 to " + address + ": " + retransmits + " retransmits for "
                    + segments + " segments");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static String sysStat(String ns, String counter) throws Exception {
        return CommandRun.run(10, "ip", "netns", "exec", ns, "cat", "/sys/class/net/eth0/statistics/" + counter)
                .ok("read " + counter).output().strip();
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        assertTrue(m.find(), "no " + p + " in iperf3's JSON:\n" + json);
        return Long.parseLong(m.group(1));
    }

    private void assertNothingLeft() throws Exception {
        for (String ns : namespaces()) {
            assertFalse(HarnessDownCommand.OUR_NAMESPACE.matcher(ns).matches(), "namespace left: " + ns);
        }
        String links = CommandRun.run(10, "ip", "-o", "link", "show").ok("ip link").output();
        assertFalse(links.contains("xnb-g"), "TAP device left:\n" + links);
        RunDirectory run = new RunDirectory(dir.toAbsolutePath());
        assertEquals(0, ProcessHandle.allProcesses().filter(run::ours).count(), "a harness process is left");
        assertFalse(Files.exists(dir), dir + " left");
    }

    private static List<String> namespaces() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : CommandRun.run(10, "ip", "netns", "list").ok("ip netns list").output().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip().split("\\s+")[0]);
            }
        }
        return out;
    }
}
