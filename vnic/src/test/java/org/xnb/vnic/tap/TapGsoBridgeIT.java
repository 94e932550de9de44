package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.TapBridge;
import org.xnb.vnic.testing.TestAddresses;

/**
 * GSO end to end: two namespaces, each holding one TAP interface with offloads on, joined by a
 * Java bridge that copies frames fd to fd with their virtio-net headers. iperf3 runs across it.
 * With TUN_F_TSO4 the sending kernel hands us TCP super-frames larger than the MTU (gso_type
 * TCPV4, partial checksum), and the receiving kernel takes them as they are. Without offloads
 * the kernel must segment and checksum before the fd, so only MTU-sized frames cross.
 *
 * <p>The printed rates are indicative (a shared 2-core machine); for a longer run:
 * {@code -Dxnb.iperf.seconds=10 -Dxnb.iperf.streams=2}.
 */
class TapGsoBridgeIT {
    private static final int MTU = 1500;
    private static final int PORT = 5201;
    private static final int SECONDS = Integer.getInteger("xnb.iperf.seconds", 3);
    private static final int STREAMS = Integer.getInteger("xnb.iperf.streams", 1);

    @RegisterExtension
    final NetFixture net = new NetFixture();

    @ParameterizedTest(name = "offloads={0}")
    @ValueSource(booleans = {true, false})
    void iperf3AcrossTheJavaBridge(boolean offloads) throws Exception {
        RequireRoot.requireTool("iperf3", "iperf3");
        TapDevice a = net.tap(TapConfig.builder().standardOffloads(offloads));
        TapDevice b = net.tap(TapConfig.builder().standardOffloads(offloads));
        NetNs nsA = net.namespace("gsoa");
        NetNs nsB = net.namespace("gsob");
        String ipA = TestAddresses.host(2, 1);
        String ipB = TestAddresses.host(2, 2);
        a.link().moveTo(nsA.name()).mtu(MTU).up();
        b.link().moveTo(nsB.name()).mtu(MTU).up();
        nsA.addAddress(a.name(), ipA + "/24");
        nsB.addAddress(b.name(), ipB + "/24");

        TapBridge bridge = net.track(new TapBridge(a.queue(0), b.queue(0), MTU));
        net.start(nsB, "iperf3", "-s", "-1", "-B", ipB, "-p", Integer.toString(PORT));
        Iperf3.awaitListening(nsB, PORT);

        long frames0 = bridge.frames();
        long bytes0 = bridge.bytes();
        long t0 = System.nanoTime();
        BackgroundProcess client = net.start(nsA, "iperf3", "-c", ipB, "-p", Integer.toString(PORT),
                "-t", Integer.toString(SECONDS), "-P", Integer.toString(STREAMS), "-J");
        CommandResult r = client.await(Duration.ofSeconds(SECONDS + 30));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exitCode(), r.describe() + "\n" + r.stdout());
        assertNull(bridge.failure(), () -> "bridge thread failed: " + bridge.failure());

        double bps = Iperf3.receivedBitsPerSecond(r.stdout());
        long frames = bridge.frames() - frames0;
        long bytes = bridge.bytes() - bytes0;
        System.out.printf("two-TAP Java bridge, offloads %s, iperf3 %d stream(s) %d s: iperf3 %.2f Gbit/s; bridge %.0f"
                        + " frames/s, %.2f Gbit/s, %d GSO TCPv4 frames (%d over MTU), largest frame %d B, %d drops%n",
                offloads ? "on" : "off", STREAMS, SECONDS, bps / 1e9, frames / seconds, bytes * 8 / seconds / 1e9,
                bridge.gsoTcp4Frames(), bridge.gsoTcp4OverMtu(), bridge.maxFrameLength(), bridge.dropped());

        if (offloads) {
            assertTrue(bridge.gsoTcp4OverMtu() > 0, "no GSO TCPv4 frame larger than the MTU crossed the bridge");
            assertTrue(bridge.maxFrameLength() > MTU + 14, "largest frame " + bridge.maxFrameLength());
            assertTrue(bridge.needsCsumFrames() > 0, "no frame with a partial checksum (NEEDS_CSUM)");
            // sane: far below what it does on an idle machine, far above a broken path's trickle
            assertTrue(bps > 200e6, "iperf3 got only " + bps / 1e6 + " Mbit/s");
        } else {
            assertEquals(0, bridge.gsoTcp4Frames(), "GSO frames although no offload was accepted");
            assertEquals(0, bridge.needsCsumFrames(), "partial checksums although TUN_F_CSUM was not set");
            assertTrue(bridge.maxFrameLength() <= MTU + 14, "largest frame " + bridge.maxFrameLength());
            assertTrue(bps > 20e6, "iperf3 got only " + bps / 1e6 + " Mbit/s");
        }
    }
}
