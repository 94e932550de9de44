package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The admin commands end to end, as the done-when: {@code harness up --guests 2 --tap}
 * (the daemon with its admin socket in the harness directory); {@code show-vnic -p -o LINK} lists
 * both vifs; {@code set-linkprop -p maxbw=100M vif1.0} makes iperf3 from guest 1 to guest 2 report
 * 95-105 Mbit/s; {@code reset-linkprop} lifts it; ip-nospoof with another address stops guest 1's
 * pings and {@code show-link -s} counts the drops. Separate processes, the packaged jar.
 */
class AdminLinkpropIT {
    private static final Pattern RECEIVED_BPS = Pattern.compile(
            "\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)");

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

    /** {@code xnb ARGS} with {@code XNB_ADMIN_SOCKET} set to the harness's socket. */
    private CommandRun xnbEnv(String... args) throws Exception {
        Path jar = Path.of("target", "xnb.jar").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("env", "XNB_ADMIN_SOCKET=" + dir.resolve("admin.sock"), "java",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        return CommandRun.run(60, cmd);
    }

    private CommandRun admin(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--admin-socket");
        all.add(2, dir.resolve("admin.sock").toString());
        return CommandRun.xnb(60, all.toArray(new String[0]));
    }

    @Test
    void maxbwOnALiveVifLimitsIperf3AndProtectionDropsSpoofedFrames() throws Exception {
        dir = temp.resolve("h");
        CommandRun.xnb(180, "harness", "up", "--guests", "2", "--tap", "--dir", dir.toString()).ok("harness up");
        assertTrue(Files.exists(dir.resolve("admin.sock")), "the daemon's admin socket in the harness directory");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("admin.sock"))));

        CommandRun vnics = xnbEnv("show-vnic", "-p", "-o", "LINK").ok("show-vnic");
        assertEquals("vif1.0\nvif2.0\n", vnics.output());
        String table = admin("show-vnic").ok("show-vnic").output();
        assertTrue(table.startsWith("LINK   OVER MACADDRESS        STATE GUEST\nvif1.0 xnb0 00:16:3e:"), table);
        assertTrue(table.contains(" up    xnb-g1\n"), table);

        double free = iperf(3);
        admin("set-linkprop", "-p", "maxbw=100M", "vif1.0").ok("set-linkprop");
        assertEquals("maxbw:100:100\n", admin("show-linkprop", "-p", "-o", "PROPERTY,VALUE,EFFECTIVE", "vif1.0")
                .ok("show-linkprop").output().lines().findFirst().orElse("") + "\n");
        double limited = iperf(5);
        admin("reset-linkprop", "-p", "maxbw", "vif1.0").ok("reset-linkprop");
        double again = iperf(3);
        String all = String.format("iperf3 guest 1 -> guest 2: unlimited %.1f, maxbw=100M %.1f, reset %.1f Mbit/s",
                free / 1e6, limited / 1e6, again / 1e6);
        System.out.println(all);
        assertTrue(limited >= 95e6 && limited <= 105e6, all);
        assertTrue(again > 150e6, all);

        // ip-nospoof allowing only another address: guest 1's IPv4 and ARP are dropped and counted
        admin("set-linkprop", "-p", "protection=ip-nospoof,allowed-ips=198.18.0.9", "vif1.0").ok("set protection");
        CommandRun ping = CommandRun.run(30, "ip", "netns", "exec", "xnb-g1", "ping", "-c", "2", "-W", "1", "198.18.0.2");
        assertNotEquals(0, ping.exitCode(), ping.output());
        String stats = admin("show-link", "-s", "-p", "-o", "LINK,IPSPOOFED", "vif1.0").ok("show-link -s").output();
        assertTrue(stats.startsWith("vif1.0:") && Long.parseLong(stats.strip().substring(7)) >= 2, stats);
        admin("reset-linkprop", "-p", "protection,allowed-ips", "vif1.0").ok("reset protection");
        CommandRun.run(30, "ip", "netns", "exec", "xnb-g1", "ping", "-c", "2", "-W", "5", "198.18.0.2").ok("ping after reset");

        // an unknown vif: the daemon's refusal names the vifs there are
        CommandRun bad = admin("set-linkprop", "-p", "maxbw=100M", "vif7.0");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.output().contains("no link 'vif7.0'; the connected vifs are: vif1.0, vif2.0"), bad.output());
    }

    /** iperf3 TCP from xnb-g1 to xnb-g2 for {@code seconds}: the receiver's bits/s. */
    private double iperf(int seconds) throws Exception {
        Path serverLog = temp.resolve("iperf3.log");
        Process server = new ProcessBuilder("ip", "netns", "exec", "xnb-g2", "iperf3", "-s", "-1", "-p", "5301")
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        try {
            CommandRun client = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                client = CommandRun.run(60, "ip", "netns", "exec", "xnb-g1", "iperf3", "-c", "198.18.0.2", "-p", "5301",
                        "-t", Integer.toString(seconds), "-J");
                if (!client.output().contains("Connection refused")) {
                    break;
                }
                Thread.sleep(100);
            }
            client.ok("iperf3 (server: " + Files.readString(serverLog) + ")");
            Matcher m = RECEIVED_BPS.matcher(client.output());
            assertTrue(m.find(), "no receiver bits_per_second in iperf3's JSON:\n" + client.output());
            return Double.parseDouble(m.group(1));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }
}
