package org.xnb.tools.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.tools.Main;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;

/**
 * Issue 7's "done when" for configuration, end to end: {@code bin/xnb daemon --harness} (a child
 * JVM, inside an {@code xnb-*} namespace so its TAP devices stay there), {@code create-etherstub
 * stub0} and {@code create-vnic -l stub0 -p maxbw=100M web0} survive {@code kill -9} and a restart:
 * {@code show-vnic -p -o LINK,OVER,MAXBW} prints {@code web0:stub0:100} again. The VNIC is real: a
 * TAP device web0 with its MAC in the daemon's namespace, through which the namespace pings a
 * harness guest whose vif names stub0, before and after the restart (the vif resumed live, its
 * persisted flow added again).
 */
class VnicPersistenceIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private HarnessHost host;
    private XenstoredServer server;
    private XenstoreClient dom0;
    private VifNodes nodes;

    @BeforeEach
    void setUp() throws Exception {
        RequireRoot.requireTool("ping", "iputils-ping");
        host = new HarnessHost();
        server = XenstoredServer.start(host.dir.resolve(Dom0Xenstore.HARNESS_SOCKET));
        dom0 = XenstoreClient.connect(UnixSocketTransport.connect(server.socketPath()));
        nodes = new VifNodes(dom0);
    }

    @AfterEach
    void tearDown() {
        if (dom0 != null) {
            dom0.close();
        }
        if (server != null) {
            server.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    /** An admin command against the harness daemon's socket; must exit 0; its stdout. */
    private String admin(String command, String... args) {
        Run r = adminRun(command, args);
        assertEquals(0, r.exit(), "xnb " + command + " " + String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    private Run adminRun(String command, String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = command;
        argv[1] = "--admin-socket";
        argv[2] = host.dir.resolve("admin.sock").toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        return run(argv);
    }

    private static DaemonProcess daemonIn(NetNs ns, Path harness) throws InterruptedException {
        return DaemonProcess.start(List.of("ip", "netns", "exec", ns.name()), harness);
    }

    private static void kill9(DaemonProcess d) throws InterruptedException {
        Process p = d.process.process();
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the daemon did not die of SIGKILL");
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        d.close();
    }

    @Test
    void anEtherstubAndAVnicWithMaxbwSurviveKill9AndRestart() throws Exception {
        NetNs ns = net.namespace("vnp");
        Path conf = host.dir.resolve("xnb.conf"); // the harness daemon's default --config
        try (RespondingGuest guest = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                "198.18.44.2")) {
            String mac;
            try (DaemonProcess daemon = daemonIn(ns, host.dir)) {
                admin("create-etherstub", "stub0");
                assertEquals("stub0\n", admin("show-etherstub", "-p", "-o", "LINK"));
                // a vif naming stub0 joins it
                run("attach", "--harness", host.dir.toString(), "--domain", "5", "--mac", guest.mac, "--link", "stub0");
                guest.connect(0);
                await().atMost(WAIT).until(() -> "4".equals(nodes.backendState(5, 0)));
                guest.startResponding();

                admin("create-vnic", "-l", "stub0", "-p", "maxbw=100M", "web0");
                assertEquals("web0:stub0:100\n", admin("show-vnic", "-p", "-o", "LINK,OVER,MAXBW", "web0"));
                mac = admin("show-vnic", "-p", "-o", "MACADDRESS", "web0").strip();
                assertTrue(mac.startsWith("00:16:3e:"), "a random Xen MAC by default: " + mac);
                assertEquals(mac, ns.link("web0").readMac(), "the TAP device web0 has the VNIC's MAC");
                assertEquals("stub0:vif5.0,web0\n", admin("show-etherstub", "-p", "-o", "LINK,VNICS"));
                assertEquals("web0:vnic:up:stub0\n", admin("show-link", "-p", "-o", "LINK,CLASS,STATE,OVER", "web0"));
                assertEquals("stub0:etherstub\n", admin("show-link", "-p", "-o", "LINK,CLASS", "stub0"));
                assertEquals("web0:maxbw:100\n", admin("show-linkprop", "-p", "-o", "LINK,PROPERTY,VALUE", "web0")
                        .lines().filter(l -> l.contains(":maxbw:")).map(l -> l + "\n").findFirst().orElse(""));

                // real: dom0's namespace reaches the guest on stub0 through web0
                ns.execOk("ip", "address", "add", "198.18.44.1/24", "dev", "web0");
                String ping = ns.execOk("ping", "-c", "3", "-i", "0.2", "-W", "5", "198.18.44.2");
                assertTrue(ping.contains("3 received"), ping + daemon.log());
                String dlstat = run("dlstat", "-f", host.dir.resolve("counters").toString(), "-p").out();
                assertTrue(dlstat.lines().anyMatch(l -> l.startsWith("web0:")), "web0 is a lane in dlstat: " + dlstat);
                Run stats = adminRun("show-link", "-s", "-p", "-o", "LINK,IPKTS,OPKTS", "web0");
                String[] f = stats.out().strip().split(":");
                assertTrue(Long.parseLong(f[1]) >= 3 && Long.parseLong(f[2]) >= 3, "web0 counted the pings: " + stats);

                // in use: refused with the reason, exit 1
                Run refused = adminRun("delete-etherstub", "stub0");
                assertEquals(1, refused.exit());
                assertTrue(refused.err().contains("etherstub 'stub0' is in use by VNIC web0"), refused.err());

                // a flow on the guest's vif is kept in the file too
                admin("add-flow", "-l", "vif5.0", "-a", "transport=udp", "-p", "maxbw=10M", "udp1");
                String text = Files.readString(conf);
                assertTrue(text.contains("flow udp1 link=vif5.0 spec=transport=udp maxbw=10000K"), text);
                assertTrue(text.contains("etherstub stub0\n"), text);
                assertTrue(text.contains("vnic web0 over=stub0 mac=" + mac + " vlan=0 maxbw=100000K\n"), text);

                kill9(daemon);
            }
            assertFalse(ns.exec(Duration.ofSeconds(5), "ip", "link", "show", "dev", "web0").ok(),
                    "web0 went with the killed daemon's fd");
            Files.deleteIfExists(host.dir.resolve("xnb.ready")); // left by the killed one

            try (DaemonProcess again = daemonIn(ns, host.dir)) {
                assertEquals("web0:stub0:100\n", admin("show-vnic", "-p", "-o", "LINK,OVER,MAXBW", "web0"),
                        again.log());
                assertEquals(mac, admin("show-vnic", "-p", "-o", "MACADDRESS", "web0").strip(), "the same MAC");
                assertEquals(mac, ns.link("web0").readMac());
                assertTrue(again.log().contains("configuration: vnic web0 over stub0 restored"), again.log());
                // the guest's vif resumed on the restored etherstub (RESUME_LIVE), its flow added again, and
                // dom0 reaches it through the restored web0
                await().atMost(WAIT).untilAsserted(() -> assertEquals("stub0:vif5.0,web0\n",
                        admin("show-etherstub", "-p", "-o", "LINK,VNICS"), again.log()));
                await().atMost(WAIT).untilAsserted(() -> assertEquals("udp1:vif5.0\n",
                        admin("show-flow", "-p", "-o", "FLOW,LINK"), again.log()));
                ns.execOk("ip", "address", "add", "198.18.44.1/24", "dev", "web0");
                String ping = ns.execOk("ping", "-c", "2", "-i", "0.2", "-W", "5", "198.18.44.2");
                assertTrue(ping.contains("2 received"), ping + again.log());
                admin("remove-flow", "udp1");
                assertFalse(Files.readString(conf).contains("udp1"), Files.readString(conf));
                admin("delete-vnic", "web0");
                assertFalse(ns.exec(Duration.ofSeconds(5), "ip", "link", "show", "dev", "web0").ok(), "web0 removed");
                assertFalse(Files.readString(conf).contains("vnic web0"), Files.readString(conf));
                assertEquals(0, again.terminate(), again.log());
            }
        }
    }

    @Test
    void temporaryAndPersistentOnlyChangesAndACorruptFile() throws Exception {
        NetNs ns = net.namespace("vnq");
        Path conf = host.dir.resolve("xnb.conf");
        try (DaemonProcess daemon = daemonIn(ns, host.dir)) {
            admin("create-etherstub", "stub0");
            admin("create-etherstub", "-t", "tmp1");
            admin("create-etherstub", "-P", "later2");
            assertEquals("stub0\ntmp1\n", admin("show-etherstub", "-p", "-o", "LINK"), "-P is not applied");
            admin("create-vnic", "-t", "-l", "stub0", "-m", "00:16:3e:00:00:21", "eph0");
            admin("create-vnic", "-l", "stub0", "-m", "00:16:3e:00:00:22", "keep0");
            admin("set-linkprop", "-p", "priority=high", "keep0");
            admin("set-linkprop", "-t", "-p", "maxbw=20M", "keep0");
            admin("set-linkprop", "-P", "-p", "maxbw=30M", "vif7.0"); // a vif not connected yet
            String text = Files.readString(conf);
            assertTrue(text.contains("etherstub stub0\n") && text.contains("etherstub later2\n"), text);
            assertFalse(text.contains("tmp1") || text.contains("eph0"), "-t is not written: " + text);
            assertTrue(text.contains("vnic keep0 over=stub0 mac=00:16:3e:00:00:22 vlan=0 priority=high\n"), text);
            assertTrue(text.contains("linkprop vif7.0 maxbw=30000K\n"), text);

            // bad arguments: what was wrong and what is allowed, exit 2, nothing sent
            Run bad = adminRun("create-etherstub", "Stub");
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("invalid etherstub name 'Stub'; allowed: a letter first, then letters, "
                    + "digits, '_' or '.', ending in a digit"), bad.err());
            bad = adminRun("create-vnic", "-l", "stub0", "averyveryverylong0");
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("at most 15 characters"), bad.err());
            bad = adminRun("create-vnic", "-l", "nosuch0", "web1");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("no link 'nosuch0' to create the VNIC over"), bad.err());
            bad = adminRun("create-etherstub", "-t", "-P", "x0");
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("-t and -P exclude each other"), bad.err());
            bad = adminRun("create-etherstub", "stub0");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("already exists"), bad.err());
            kill9(daemon);
        }
        Files.deleteIfExists(host.dir.resolve("xnb.ready"));
        String good = Files.readString(conf);
        // a corrupt file: the daemon names it and uses the last good copy
        Files.move(conf, host.dir.resolve("xnb.conf.bak"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(conf, "xnb-config 1\nvnic keep0 over=stub0 mac=zz vlan=0\n");
        try (DaemonProcess again = daemonIn(ns, host.dir)) {
            assertTrue(again.log().contains(conf.toString()) && again.log().contains("last good copy"), again.log());
            assertEquals("later2\nstub0\n", admin("show-etherstub", "-p", "-o", "LINK"), "tmp1 was temporary");
            assertEquals("keep0:stub0:--\n", admin("show-vnic", "-p", "-o", "LINK,OVER,MAXBW"),
                    "eph0 was temporary, keep0's maxbw=20M was -t");
            assertTrue(admin("show-linkprop", "-p", "-o", "PROPERTY,VALUE", "keep0").contains("priority:high\n"));
            // a vif connecting gets the properties persisted for its name
            try (RespondingGuest c = new RespondingGuest(host, server, HarnessHost.GUEST_C, "00:16:3e:00:07:00",
                    "198.18.45.7")) {
                assertEquals(0, run("attach", "--harness", host.dir.toString(), "--domain", "7", "--mac", c.mac,
                        "--link", "stub0").exit());
                c.connect(0);
                await().atMost(WAIT).until(() -> "4".equals(nodes.backendState(7, 0)));
                await().atMost(WAIT).untilAsserted(() -> assertEquals("vif7.0:30\n",
                        admin("show-vnic", "-p", "-o", "LINK,MAXBW", "vif7.0"), again.log()));
                assertTrue(again.log().contains("vif7.0: link properties from the configuration: maxbw=30000K"),
                        again.log());
                run("detach", "--harness", host.dir.toString(), "--domain", "7", "--devid", "0");
            }
            admin("delete-vnic", "keep0"); // the first save sets the corrupt file aside
            assertTrue(Files.exists(host.dir.resolve("xnb.conf.rejected")), "the corrupt file kept for the operator");
            assertEquals(good, Files.readString(host.dir.resolve("xnb.conf.bak")), "the good copy kept");
            assertFalse(Files.readString(conf).contains("keep0"));
            assertEquals(0, again.terminate(), again.log());
        }
    }
}
