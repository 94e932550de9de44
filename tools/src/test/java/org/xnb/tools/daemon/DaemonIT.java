package org.xnb.tools.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.tools.Main;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.testing.EtherFrames;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.TestNames;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;

/**
 * {@code bin/xnb daemon} as a real child process on a harness made here (domains 0, 5, 6, 7 and
 * a xenstored on {@code DIR/xenstored.sock}), driven by {@code bin/xnb attach|detach} and guests
 * that answer ARP and ping ({@link RespondingGuest}). Checks xenstore states, packets arriving,
 * the harness's accounting of pins, ports and mappings, TAP devices, the exit code.
 */
class DaemonIT {
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

    private String xnb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        assertEquals(0, rc, "xnb " + String.join(" ", args) + ": " + err);
        return out.toString().strip();
    }

    /** The parseable dlstat line of {@code link}, split at ':'. */
    private static String[] dlstatLine(String out, String link) {
        for (String line : out.split("\\R")) {
            if (line.startsWith(link + ":")) {
                return line.split(":");
            }
        }
        throw new AssertionError(link + " not in dlstat output: " + out);
    }

    private void awaitBackendState(int domid, String state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> state.equals(nodes.backendState(domid, 0)));
    }

    private void awaitNothingHeldFor(int... guests) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (int g : guests) {
                assertEquals(0, host.account.pinnedGrants(g), "grants of guest " + g + " still pinned");
            }
            assertEquals(0, host.account.boundPorts(HarnessHost.BACKEND), "dom0 ports still bound");
            assertEquals(0, host.account.mappedPages(HarnessHost.BACKEND), "dom0 pages still mapped");
        });
    }

    @Test
    void aVifOnADeclaredTapLinkAnswersPingFromItsNamespaceAndDetachLeavesNothingMapped() throws Exception {
        NetNs ns = net.namespace("dmn");
        String ifname = TestNames.iface();
        try (DaemonProcess daemon = DaemonProcess.start(host.dir, "--link",
                "xenbr0=tap,ifname=" + ifname + ",netns=" + ns.name() + ",address=198.18.40.1/24");
                RespondingGuest guest = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.40.2")) {
            assertTrue(ns.link(ifname).isUp(), "the daemon's TAP device is up in " + ns.name());
            assertTrue(daemon.log().contains("xnb daemon ready"), daemon.log());

            assertEquals("vif5.0 mac 00:16:3e:00:05:00 link xenbr0", xnb("attach", "--harness", host.dir.toString(),
                    "--domain", "5", "--mac", "00:16:3e:00:05:00"));
            assertEquals("2", nodes.backendState(5, 0), "attach returns once the backend is in InitWait");
            guest.connect(0);
            awaitBackendState(5, "4");
            guest.startResponding();

            String ping = ns.execOk("ping", "-c", "3", "-i", "0.2", "-W", "5", "198.18.40.2");
            assertTrue(ping.contains("3 received"), ping);
            assertTrue(guest.echoesAnswered.get() >= 3, "the guest answered " + guest.echoesAnswered.get());
            assertNull(guest.failure.get());
            assertTrue(daemon.log().contains("vif5.0: connected (FRESH)"), daemon.log());
            // the vif is a lane: dlstat reads its counters from the daemon's file (DIR/counters)
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                String[] f = dlstatLine(xnb("dlstat", "-f", host.dir.resolve("counters").toString(), "-p"), "vif5.0");
                assertEquals(guest.framesSent.get(), Long.parseLong(f[2]), "IPKTS: frames the guest sent");
                assertEquals(guest.framesReceived.get(), Long.parseLong(f[4]), "OPKTS: frames the guest received");
                assertEquals("interrupt", f[f.length - 1]);
            });
            assertTrue(guest.framesSent.get() >= 3);

            assertEquals("vif5.0 detached", xnb("detach", "--harness", host.dir.toString(), "--domain", "5",
                    "--devid", "0"));
            assertFalse(dom0.exists(VifNodes.backend(5, 0)), "backend directory removed");
            assertFalse(dom0.exists(VifNodes.frontend(5, 0)), "frontend directory removed");
            awaitNothingHeldFor(5);
            assertTrue(daemon.log().contains("vif5.0: disconnected (online=0"), daemon.log());

            assertEquals(0, daemon.terminate(), daemon.log());
            assertFalse(Files.exists(daemon.readyFile), "ready file removed at exit");
            CommandResult gone = ns.exec(Duration.ofSeconds(5), "ip", "link", "show", "dev", ifname);
            assertFalse(gone.ok(), "the TAP device went with the daemon: " + gone.stdout());
        }
    }

    @Test
    void sigtermTakesEveryVifToClosedUnmapsEverythingAndExitsZero() throws Exception {
        java.nio.file.Path pidFile = host.dir.resolve("xnb.pid");
        try (DaemonProcess daemon = DaemonProcess.start(host.dir, "--pid-file", pidFile.toString());
                RespondingGuest a = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.41.5");
                RespondingGuest b = new RespondingGuest(host, server, HarnessHost.GUEST_B, null, "198.18.41.6")) {
            assertEquals(Long.toString(daemon.process.process().pid()), Files.readString(pidFile).strip());
            xnb("attach", "--harness", host.dir.toString(), "--domain", "5", "--mac", a.mac, "--link", "lan1");
            a.connect(0);
            awaitBackendState(5, "4");
            a.startResponding();
            // b's vif gets attach's defaults: the first free devid and a random MAC in Xen's OUI
            nodes.dom0.mkdir(VifNodes.frontend(HarnessHost.GUEST_B, 0)); // devid 0 taken by a leftover frontend dir
            String attached = xnb("attach", "--harness", host.dir.toString(), "--domain", "6", "--link", "lan1");
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("vif6\\.1 mac (00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}) link lan1").matcher(attached);
            assertTrue(m.matches(), attached);
            assertEquals(m.group(1), nodes.dom0.readString(VifNodes.backend(6, 1) + "/mac"));
            b.useMac(m.group(1));
            b.connect(1);
            await().atMost(WAIT).until(() -> "4".equals(nodes.backendState(6, 1)));
            b.startResponding();
            assertTrue(daemon.log().contains("link lan1: not declared; no Linux bridge"), daemon.log());

            a.send(arpRequest(a, b.ip)); // broadcast on the etherstub: b answers, the switch learned a's MAC
            await().atMost(WAIT).until(() -> a.last.get() != null);
            byte[] reply = a.last.get();
            assertEquals(EtherFrames.ETHERTYPE_ARP, ((reply[12] & 0xff) << 8) | (reply[13] & 0xff));
            assertEquals(2, reply[14 + 7], "an ARP reply");
            assertEquals(b.mac, macAt(reply, 14 + 8), "from b's MAC");

            assertEquals(0, daemon.terminate(), daemon.log());
            assertEquals("6", nodes.backendState(5, 0));
            assertEquals("6", nodes.backendState(6, 1));
            awaitNothingHeldFor(5, 6);
            String log = daemon.log();
            assertTrue(log.contains("xnb daemon stopping (SIGTERM)"), log);
            assertTrue(log.contains("vif5.0: disconnected (backend stopping)"), log);
            assertTrue(log.contains("vif6.1: disconnected (backend stopping)"), log);
            assertTrue(log.contains("xnb daemon stopped"), log);
            assertFalse(Files.exists(pidFile), "pid file removed at exit");
        }
    }

    @Test
    void whenXenstoredGoesTheDaemonUnmapsEverythingAndExitsThree() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(host.dir, "--link", "xenbr0=etherstub");
                RespondingGuest a = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.45.5")) {
            xnb("attach", "--harness", host.dir.toString(), "--domain", "5", "--mac", a.mac);
            a.connect(0);
            awaitBackendState(5, "4");
            server.close();
            assertTrue(daemon.process.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS),
                    "the daemon noticed:\n" + daemon.log());
            assertEquals(DaemonCommand.XENSTORE_LOST, daemon.process.process().exitValue(), daemon.log());
            assertTrue(daemon.log().contains("the xenstore connection is lost"), daemon.log());
            awaitNothingHeldFor(5);
        }
    }

    @Test
    void withKeepVifsARestartedDaemonResumesTheLiveRingsAndTrafficFlowsAgain() throws Exception {
        try (RespondingGuest a = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.44.5");
                RespondingGuest b = new RespondingGuest(host, server, HarnessHost.GUEST_B, "00:16:3e:00:06:00",
                        "198.18.44.6")) {
            try (DaemonProcess first = DaemonProcess.start(host.dir, "--keep-vifs", "--link", "xenbr0=etherstub")) {
                for (RespondingGuest g : List.of(a, b)) {
                    xnb("attach", "--harness", host.dir.toString(), "--domain", Integer.toString(g.domid), "--mac", g.mac);
                    g.connect(0);
                    awaitBackendState(g.domid, "4");
                    g.startResponding();
                }
                assertEquals(0, first.terminate(), first.log());
                assertTrue(first.log().contains("vif5.0: disconnected (backend stopping, nodes left for a restart)"),
                        first.log());
            }
            assertEquals("4", nodes.backendState(5, 0), "--keep-vifs writes nothing");
            assertEquals("4", nodes.backendState(6, 0));
            awaitNothingHeldFor(5, 6);

            try (DaemonProcess second = DaemonProcess.start(host.dir, "--link", "xenbr0=etherstub")) {
                await().atMost(WAIT).until(() -> second.log().contains("vif5.0: connected (RESUME_LIVE)")
                        && second.log().contains("vif6.0: connected (RESUME_LIVE)"));
                a.last.set(null);
                a.send(arpRequest(a, b.ip));
                await().atMost(WAIT).until(() -> a.last.get() != null);
                assertEquals(b.mac, macAt(a.last.get(), 14 + 8), "b answered through the resumed vifs");
                assertEquals(0, second.terminate(), second.log());
            }
            assertEquals("6", nodes.backendState(5, 0));
            awaitNothingHeldFor(5, 6);
        }
    }

    @Test
    void aVifWithoutALinkJoinsTheLinuxBridgeXenbr0OfTheDaemonsNamespace() throws Exception {
        NetNs ns = net.namespace("dbr");
        ns.execOk("ip", "link", "add", "xenbr0", "type", "bridge");
        ns.execOk("ip", "address", "add", "198.18.42.1/24", "dev", "xenbr0");
        ns.execOk("ip", "link", "set", "dev", "xenbr0", "up");
        try (DaemonProcess daemon = DaemonProcess.start(List.of("ip", "netns", "exec", ns.name()), host.dir);
                RespondingGuest guest = new RespondingGuest(host, server, HarnessHost.GUEST_C, "00:16:3e:00:07:00",
                        "198.18.42.7")) {
            xnb("attach", "--harness", host.dir.toString(), "--domain", "7", "--mac", guest.mac);
            guest.connect(0);
            awaitBackendState(7, "4");
            guest.startResponding();
            assertTrue(daemon.log().contains("Linux bridge xenbr0 exists here, joined through TAP xnbu-xenbr0"),
                    daemon.log());
            assertTrue(ns.execOk("ip", "-o", "link", "show", "dev", "xnbu-xenbr0").contains("master xenbr0"));

            String ping = ns.execOk("ping", "-c", "2", "-i", "0.2", "-W", "5", "198.18.42.7");
            assertTrue(ping.contains("2 received"), ping);

            assertEquals(0, daemon.terminate(), daemon.log());
            assertEquals("6", nodes.backendState(7, 0));
            awaitNothingHeldFor(7);
            assertFalse(ns.exec(Duration.ofSeconds(5), "ip", "link", "show", "dev", "xnbu-xenbr0").ok(),
                    "the TAP device went with the daemon");
        }
    }

    private static byte[] arpRequest(RespondingGuest from, String targetIp) {
        byte[] f = new byte[42];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f);
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        b.position(6);
        b.put(EtherFrames.mac(from.mac)).putShort((short) EtherFrames.ETHERTYPE_ARP);
        b.putShort((short) 1).putShort((short) EtherFrames.ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(EtherFrames.mac(from.mac)).putInt(EtherFrames.ipv4(from.ip));
        b.put(new byte[6]).putInt(EtherFrames.ipv4(targetIp));
        return f;
    }

    private static String macAt(byte[] f, int at) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            s.append(i == 0 ? "" : ":").append(String.format("%02x", f[at + i] & 0xff));
        }
        return s.toString();
    }
}
