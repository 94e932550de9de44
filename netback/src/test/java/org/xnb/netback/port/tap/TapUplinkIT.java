package org.xnb.netback.port.tap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.TestAddresses;

/**
 * The TAP port end to end: two namespaces, each with one TAP interface (offloads on), joined by
 * {@link TranslatingBridge}: every frame's virtio-net header is turned into FrameMetadata by
 * {@link TapUplinkReader} and a new header is built by {@link TapUplinkSink} from that metadata
 * and the frame's own headers (csum_start/csum_offset recomputed, as for a guest's frame). If
 * either translation were wrong, the receiving kernel would drop frames (bad GSO) or count
 * checksum errors, and TCP would crawl or stall.
 *
 * <p>Rates are indicative (shared 2-core machine); {@code -Dxnb.iperf.seconds=10} for longer runs.
 */
class TapUplinkIT {
    private static final int MTU = 1500;
    private static final int PORT = 5201;
    private static final int SECONDS = Integer.getInteger("xnb.iperf.seconds", 3);
    private static final Pattern BPS = Pattern.compile("\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private NetNs nsA;
    private NetNs nsB;
    private String ipA;
    private String ipB;
    private String tapA;
    private String tapB;

    private TranslatingBridge setUp() {
        RequireRoot.requireTool("iperf3", "iperf3");
        RequireRoot.requireTool("ping", "iputils-ping");
        RequireRoot.requireTool("nstat", "iproute2");
        TapDevice a = net.tap(TapConfig.builder().standardOffloads(true));
        TapDevice b = net.tap(TapConfig.builder().standardOffloads(true));
        nsA = net.namespace("tpa");
        nsB = net.namespace("tpb");
        ipA = TestAddresses.host(3, 1);
        ipB = TestAddresses.host(3, 2);
        a.link().moveTo(nsA.name()).mtu(MTU).up();
        b.link().moveTo(nsB.name()).mtu(MTU).up();
        tapA = a.name();
        tapB = b.name();
        nsA.addAddress(a.name(), ipA + "/24");
        nsB.addAddress(b.name(), ipB + "/24");
        return net.track(new TranslatingBridge(a.queue(0), b.queue(0), MTU));
    }

    @Test
    void pingAndIperf3BothWaysThroughTheTranslation() {
        TranslatingBridge bridge = setUp();
        String ping = nsA.execOk("ping", "-c", "3", "-i", "0.2", "-W", "2", ipB);
        assertTrue(ping.contains("3 received"), ping);

        double forward = iperf3(false); // also the warm-up for the allocation count
        long allocated0 = bridge.allocatedBytes();
        long frames0 = bridge.readerB.counters().frames;
        double reverse = iperf3(true);
        long allocated = bridge.allocatedBytes() - allocated0;
        bridge.close();
        long framesReverse = bridge.readerB.counters().frames - frames0;
        assertNull(bridge.failure(), () -> "bridge thread failed: " + bridge.failure());

        TapPortCounters inA = bridge.readerA.counters();
        TapPortCounters outB = bridge.aToB.out.counters();
        TapPortCounters inB = bridge.readerB.counters();
        TapPortCounters outA = bridge.bToA.out.counters();
        System.out.printf("TAP port, translated both ways, iperf3 %d s: A->B %.2f Gbit/s, B->A %.2f Gbit/s%n"
                + "  A->B read %s%n  A->B written %s%n  B->A read %s%n  B->A written %s%n"
                + "  A->B: %d GSO TCPv4 (%d over MTU, largest %d B); B->A: %d GSO TCPv4 (%d over MTU, largest %d B)%n"
                + "  bridge thread allocated %d bytes during the B->A run (%d frames)%n",
                SECONDS, forward / 1e9, reverse / 1e9, inA, outB, inB, outA,
                bridge.aToB.gsoTcpv4.get(), bridge.aToB.gsoOverMtu.get(), bridge.aToB.largest.get(),
                bridge.bToA.gsoTcpv4.get(), bridge.bToA.gsoOverMtu.get(), bridge.bToA.largest.get(),
                allocated, framesReverse);

        for (TranslatingBridge.Direction d : new TranslatingBridge.Direction[] {bridge.aToB, bridge.bToA}) {
            assertTrue(d.gsoOverMtu.get() > 0, "no GSO frame larger than the MTU crossed");
            assertEquals(0, d.gsoTcpv6.get(), "IPv4 traffic reported as TCPv6 GSO");
            assertEquals(0, d.badGsoSize.get(), "gso_size outside (500, MTU - 40]");
            assertEquals(0, d.gsoWithoutPartialChecksum.get(), "a GSO frame without a partial checksum");
            assertTrue(d.largest.get() > MTU + 14);
        }
        // the sinks rebuilt headers for every frame the readers handed on: GSO frames re-encoded as GSO
        assertEquals(inA.frames, outB.frames + outB.drops(), "A->B frames lost between reader and sink");
        assertEquals(inA.gsoFrames, outB.gsoFrames);
        assertEquals(inB.gsoFrames, outA.gsoFrames);
        for (TapPortCounters c : new TapPortCounters[] {inA, outB, inB, outA}) {
            assertEquals(0, c.dropsChecksumSetup + c.dropsBadGso + c.dropsUnsupportedGso + c.dropsTruncated + c.dropsRunt, c.toString());
        }
        assertEquals(0, checksumErrors(nsA), "checksum errors in A's stack");
        assertEquals(0, checksumErrors(nsB), "checksum errors in B's stack");
        assertTrue(allocated < 4096, "the bridge thread allocated " + allocated + " bytes for " + framesReverse + " frames");
        assertTrue(forward > 200e6, "A->B only " + forward / 1e6 + " Mbit/s");
        assertTrue(reverse > 200e6, "B->A only " + reverse / 1e6 + " Mbit/s");
    }

    @Test
    void partialChecksumsRebuiltFromTheFramesHeadersAreAcceptedForTcpAndUdp() {
        TranslatingBridge bridge = setUp();
        // UDP datagrams below the MTU: not GSO, CHECKSUM_PARTIAL from A's stack -> CSUM_BLANK
        net.start(nsB, "iperf3", "-s", "-1", "-B", ipB, "-p", Integer.toString(PORT));
        awaitListening(nsB, PORT);
        BackgroundProcess udp = net.start(nsA, "iperf3", "-c", ipB, "-p", Integer.toString(PORT), "-u", "-b", "50M",
                "-l", "1200", "-t", "1", "-J");
        CommandResult r = udp.await(Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), r.describe() + "\n" + r.stdout());
        // and TCP once more with many small writes (ACKs and small segments carry partial checksums too)
        double tcp = iperf3(false);
        bridge.close();
        assertNull(bridge.failure());

        long udpIn = snmp(nsB, "UdpInDatagrams");
        System.out.printf("TAP port checksum run: %d partial-checksum non-GSO frames A->B, %d B->A; B got %d UDP"
                + " datagrams; TCP %.2f Gbit/s%n", bridge.aToB.partialNotGso.get(), bridge.bToA.partialNotGso.get(),
                udpIn, tcp / 1e9);
        assertTrue(bridge.aToB.partialNotGso.get() > 100, "too few CSUM_BLANK frames to prove anything");
        for (TranslatingBridge.Direction d : new TranslatingBridge.Direction[] {bridge.aToB, bridge.bToA}) {
            assertEquals(0, d.pseudoHeaderElsewhere.get(), "a partial checksum not where csum_start/csum_offset say");
            assertEquals(d.partialNotGso.get(), d.pseudoHeaderAtOurOffset.get());
        }
        assertTrue(udpIn > 1000, "B's stack accepted only " + udpIn + " UDP datagrams");
        assertEquals(0, snmp(nsB, "UdpInCsumErrors"));
        assertEquals(0, checksumErrors(nsA));
        assertEquals(0, checksumErrors(nsB));
        assertTrue(tcp > 100e6, "TCP only " + tcp / 1e6 + " Mbit/s");
    }

    /**
     * The strict checksum proof. Local delivery trusts a CHECKSUM_PARTIAL frame, so here B's
     * stack must forward A's traffic to a third namespace C over a veth whose checksum offload
     * is off: B's kernel then segments our GSO frames and computes every TCP checksum in software
     * from the csum_start/csum_offset the sink put in the header, and C verifies each one. The
     * bridge also zeroes the checksum field of every GSO frame and clears CSUM_BLANK (a frame
     * as a guest without a pseudo-header sum would send it), so the sink must rebuild the
     * pseudo-header itself (Linux's recalculate_partial_csum).
     */
    @Test
    void checksumsFromOurOffsetsAndRebuiltPseudoHeadersVerifyAfterSoftwareSegmentation() {
        RequireRoot.requireTool("ethtool", "ethtool");
        TranslatingBridge bridge = setUp();
        bridge.aToB.zeroGsoChecksums = true;
        NetNs nsC = net.namespace("tpc");
        String ipBc = TestAddresses.host(4, 1);
        String ipC = TestAddresses.host(4, 2);
        nsB.execOk("ip", "link", "add", "xnbfwd0", "type", "veth", "peer", "name", "xnbfwd1", "netns", nsC.name());
        nsB.execOk("ip", "addr", "add", ipBc + "/24", "dev", "xnbfwd0");
        nsB.execOk("ethtool", "-K", "xnbfwd0", "tx", "off", "tso", "off", "gso", "off");
        nsB.execOk("ip", "link", "set", "xnbfwd0", "up");
        nsB.execOk("sysctl", "-qw", "net.ipv4.ip_forward=1");
        nsC.execOk("ip", "addr", "add", ipC + "/24", "dev", "xnbfwd1");
        nsC.execOk("ip", "link", "set", "xnbfwd1", "up");
        nsC.execOk("ip", "route", "add", "default", "via", ipBc);
        nsA.execOk("ip", "route", "add", ipC + "/32", "via", ipB);

        net.start(nsC, "iperf3", "-s", "-1", "-B", ipC, "-p", Integer.toString(PORT));
        awaitListening(nsC, PORT);
        BackgroundProcess client = net.start(nsA, "iperf3", "-c", ipC, "-p", Integer.toString(PORT),
                "-t", Integer.toString(SECONDS), "-J");
        CommandResult r = client.await(Duration.ofSeconds(SECONDS + 30));
        bridge.close();
        assertEquals(0, r.exitCode(), r.describe() + "\n" + r.stdout());
        double bps = receivedBitsPerSecond(r.stdout());
        long segments = snmp(nsC, "TcpInSegs");
        System.out.printf("TAP port, forwarded to a checksum-verifying namespace: %.2f Gbit/s, %d GSO frames with"
                + " zeroed checksums rebuilt, C verified %d TCP segments, %d checksum errors%n", bps / 1e9,
                bridge.aToB.gsoChecksumsZeroed.get(), segments, checksumErrors(nsC));
        assertNull(bridge.failure());
        assertTrue(bridge.aToB.gsoChecksumsZeroed.get() > 100, "too few GSO frames: " + bridge.aToB.gsoChecksumsZeroed.get());
        assertTrue(bridge.aToB.gsoOverMtu.get() > 0);
        assertEquals(0, checksumErrors(nsC), "C's stack found bad checksums");
        assertTrue(segments > 10_000, "C got only " + segments + " TCP segments");
        assertTrue(bps > 50e6, "only " + bps / 1e6 + " Mbit/s");
    }

    /** IPv6 both ways: GSO TCPv6 frames (gso_type 4 <-> XEN_NETIF_GSO_TYPE_TCPV6) cross the translation. */
    @Test
    void iperf3OverIpv6CarriesTcpv6Gso() {
        TranslatingBridge bridge = setUp();
        String v6A = "2001:db8:3::1";
        String v6B = "2001:db8:3::2";
        nsA.execOk("ip", "-6", "addr", "add", v6A + "/64", "dev", tapA, "nodad");
        nsB.execOk("ip", "-6", "addr", "add", v6B + "/64", "dev", tapB, "nodad");
        String ping = nsA.execOk("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", v6B);
        assertTrue(ping.contains("2 received"), ping);
        double forward = iperf3To(v6B, false);
        double reverse = iperf3To(v6B, true);
        bridge.close();
        assertNull(bridge.failure());
        System.out.printf("TAP port over IPv6, iperf3 %d s: A->B %.2f Gbit/s, B->A %.2f Gbit/s; GSO TCPv6 frames"
                + " A->B %d (largest %d B), B->A %d%n", SECONDS, forward / 1e9, reverse / 1e9,
                bridge.aToB.gsoTcpv6.get(), bridge.aToB.largest.get(), bridge.bToA.gsoTcpv6.get());
        for (TranslatingBridge.Direction d : new TranslatingBridge.Direction[] {bridge.aToB, bridge.bToA}) {
            assertTrue(d.gsoTcpv6.get() > 0 && d.gsoOverMtu.get() > 0, "no GSO TCPv6 frame larger than the MTU");
            assertEquals(0, d.gsoTcpv4.get(), "IPv6 traffic reported as TCPv4 GSO");
            assertEquals(0, d.badGsoSize.get());
            assertEquals(0, d.gsoWithoutPartialChecksum.get());
            TapPortCounters out = d.out.counters();
            assertEquals(0, out.dropsChecksumSetup + out.dropsBadGso, out.toString());
        }
        assertEquals(0, checksumErrors(nsA));
        assertEquals(0, checksumErrors(nsB));
        assertTrue(forward > 200e6 && reverse > 200e6, forward / 1e6 + " / " + reverse / 1e6 + " Mbit/s");
    }

    /** One iperf3 TCP run from A to B ({@code reverse}: B sends); the receiver's bits per second. */
    private double iperf3(boolean reverse) {
        return iperf3To(ipB, reverse);
    }

    private double iperf3To(String server, boolean reverse) {
        net.start(nsB, "iperf3", "-s", "-1", "-B", server, "-p", Integer.toString(PORT));
        awaitListening(nsB, PORT);
        BackgroundProcess client = reverse
                ? net.start(nsA, "iperf3", "-c", server, "-p", Integer.toString(PORT), "-t", Integer.toString(SECONDS), "-J", "-R")
                : net.start(nsA, "iperf3", "-c", server, "-p", Integer.toString(PORT), "-t", Integer.toString(SECONDS), "-J");
        CommandResult r = client.await(Duration.ofSeconds(SECONDS + 30));
        assertEquals(0, r.exitCode(), r.describe() + "\n" + r.stdout());
        return receivedBitsPerSecond(r.stdout());
    }

    private static double receivedBitsPerSecond(String json) {
        int at = json.lastIndexOf("\"sum_received\"");
        Matcher m = BPS.matcher(json);
        assertTrue(at >= 0 && m.find(at), "no sum_received in iperf3 output:\n" + json);
        return Double.parseDouble(m.group(1));
    }

    private static void awaitListening(NetNs ns, int port) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> ns.exec(Duration.ofSeconds(5), "ss", "-Hltnu", "sport = :" + port).stdout().contains(":" + port));
    }

    private static long checksumErrors(NetNs ns) {
        return snmp(ns, "TcpInCsumErrors") + snmp(ns, "UdpInCsumErrors") + snmp(ns, "IpExtInCsumErrors");
    }

    /** An absolute SNMP counter of the namespace ({@code nstat -asz}: no history file touched). */
    private static long snmp(NetNs ns, String counter) {
        String out = ns.execOk("nstat", "-asz", counter);
        Matcher m = Pattern.compile("(?m)^" + counter + "\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), "no " + counter + " in nstat output:\n" + out);
        return Long.parseLong(m.group(1));
    }
}
