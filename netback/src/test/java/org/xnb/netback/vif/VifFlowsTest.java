package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Flows on live vifs through {@link NetbackService}'s {@code FlowAdmin}, on the harness: a flow's
 * counters move for the frames it matches, in the direction they go (opkts for what its guest
 * sends, ipkts for what its guest receives), and not for other frames; a flow's maxbw limits the
 * flow and not the rest of the vif's traffic; the flows' drops reach the lane's SDROPS.
 */
class VifFlowsTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;

    @TempDir
    Path dir;
    private VifRig rig;

    @AfterEach
    void tearDown() {
        if (rig != null) {
            rig.close();
        }
    }

    private static String name(int domid) {
        return "vif" + domid + ".0";
    }

    /** An IPv4/UDP frame of {@code length} bytes from 198.18.0.1:7000 to 198.18.0.2:{@code dstPort}. */
    static byte[] udp(GuestDriver from, long dstMac, int length, int dstPort, int seq) {
        byte[] f = from.frame(dstMac, length, seq);
        int ip = 14;
        int total = length - ip;
        f[ip] = 0x45;
        f[ip + 1] = 0;
        f[ip + 2] = (byte) (total >>> 8);
        f[ip + 3] = (byte) total;
        f[ip + 6] = 0;
        f[ip + 7] = 0;
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        byte[] addrs = {(byte) 198, 18, 0, 1, (byte) 198, 18, 0, 2};
        System.arraycopy(addrs, 0, f, ip + 12, 8);
        int udp = ip + 20;
        f[udp] = (byte) (7000 >>> 8);
        f[udp + 1] = (byte) 7000;
        f[udp + 2] = (byte) (dstPort >>> 8);
        f[udp + 3] = (byte) dstPort;
        f[udp + 4] = (byte) ((total - 20) >>> 8);
        f[udp + 5] = (byte) (total - 20);
        f[udp + 6] = 0;
        f[udp + 7] = 0;
        return f;
    }

    private static int dstPort(byte[] f) {
        return (f[36] & 0xff) << 8 | f[37] & 0xff;
    }

    @Test
    void aFlowCountsTheFramesItMatchesBothWaysAndNoOthers() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        // on A: what A sends to port 5000 (remote port); on B: what B receives on port 5000 (local port)
        service.addFlow("out5000", name(A), FlowSpec.parse("transport=udp,remote_port=5000"), FlowProperties.DEFAULTS);
        service.addFlow("in5000", name(B), FlowSpec.parse("transport=udp,local_port=5000"),
                FlowProperties.DEFAULTS.setAll("priority=high"));
        int seq = 0;
        for (int i = 0; i < 7; i++) {
            a.send(udp(a, b.mac, 200, 5000, seq++));
            a.send(udp(a, b.mac, 300, 6000, seq++));
            a.send(a.frame(b.mac, 100, seq++)); // not even IP
        }
        assertEquals(21, VifEndToEndTest.awaitFrames(b, 21).size(), "flows without maxbw drop nothing");
        await().atMost(VifRig.WAIT).until(() -> service.flows(name(B)).get(0).ipkts() == 7);
        FlowStatus out = service.flows(name(A)).get(0);
        FlowStatus in = service.flows(name(B)).get(0);
        assertEquals(List.of(7L, 1400L, 0L, 0L, 0L), List.of(out.opkts(), out.obytes(), out.ipkts(), out.rbytes(),
                out.drops()), "A's flow: what A sent to port 5000");
        assertEquals(List.of(7L, 1400L, 0L, 0L, 0L), List.of(in.ipkts(), in.rbytes(), in.opkts(), in.obytes(),
                in.drops()), "B's flow: what B received on port 5000");
        assertEquals("high", in.properties().get("priority"));
        assertEquals(List.of("out5000", "in5000"), service.flows(null).stream().map(FlowStatus::name).toList());

        // removed: its counters stop (the lane reads the new table at its next frame)
        service.removeFlow("out5000");
        a.send(udp(a, b.mac, 200, 5000, seq++));
        VifEndToEndTest.awaitFrames(b, 1);
        assertEquals(List.of(), service.flows(name(A)));
        await().atMost(VifRig.WAIT).until(() -> service.flows(name(B)).get(0).ipkts() == 8);
    }

    @Test
    void flowadmRulesAndUnknownNamesAreRefusedWithWhatIsAllowed() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        rig.addGuest(A, false);
        rig.addGuest(B, false);
        service.addFlow("web", name(A), FlowSpec.parse("transport=tcp,local_port=80"), FlowProperties.DEFAULTS);
        LinkAdminException e = assertThrows(LinkAdminException.class, () -> service.addFlow("web", name(B),
                FlowSpec.parse("transport=tcp"), FlowProperties.DEFAULTS));
        assertTrue(e.getMessage().contains("already exists on link " + name(A)), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.addFlow("ssh", name(A),
                FlowSpec.parse("transport=udp"), FlowProperties.DEFAULTS));
        assertTrue(e.getMessage().contains("one type of flow per link"), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.addFlow("web2", name(A),
                FlowSpec.parse("transport=tcp,local_port=80"), FlowProperties.DEFAULTS));
        assertTrue(e.getMessage().contains("already has the attributes"), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.addFlow("x", "vif9.0",
                FlowSpec.parse("transport=tcp"), FlowProperties.DEFAULTS));
        assertTrue(e.getMessage().contains("no link 'vif9.0'"), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.removeFlow("nope"));
        assertTrue(e.getMessage().contains("no flow 'nope'; the flows are: web"), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.setFlowProperties("web", "maxbw=7Q"));
        assertTrue(e.getMessage().contains("maxbw"), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.setFlowProperties("web", "cpus=1"));
        assertTrue(e.getMessage().contains("allowed: maxbw, priority"), e.getMessage());

        assertEquals("50", service.setFlowProperties("web", "maxbw=50M,priority=low").properties().get("maxbw"));
        FlowStatus reset = service.resetFlowProperty("web", "maxbw");
        assertEquals("--", reset.properties().get("maxbw"));
        assertEquals("low", reset.properties().get("priority"));
        assertEquals("medium", service.resetFlowProperty("web", null).properties().get("priority"));
        assertEquals(List.of("web"), service.removeFlows(name(A)));
        assertEquals(List.of(), service.flows(null));
    }

    /**
     * Sends 1000-byte frames from {@code a} to {@code b}, alternately to port 5000 and 6000, for
     * {@code ms} with at most 16 requests in flight; bytes {@code b} got per port {5000, 6000}.
     */
    private static long[] pump(GuestDriver a, GuestDriver b, long ms) {
        long[] bytes = new long[2];
        long end = System.nanoTime() + ms * 1_000_000L;
        int seq = 0;
        while (System.nanoTime() < end) {
            boolean sent = false;
            for (int i = 0; i < 16 && a.txRoom(256 - 16 + 1); i++) {
                a.send(udp(a, b.mac, 1000, seq % 2 == 0 ? 5000 : 6000, seq));
                seq++;
                sent = true;
            }
            for (GuestDriver.Received r : b.receive()) {
                bytes[dstPort(r.bytes()) == 5000 ? 0 : 1] += r.bytes().length;
            }
            if (!sent) {
                LockSupport.parkNanos(100_000);
            }
        }
        return bytes;
    }

    private static double mbps(long bytes, long ms) {
        return bytes * 8.0 / (ms / 1000.0) / 1e6;
    }

    @Test
    void aFlowsMaxbwLimitsThatFlowAndNotTheOthers() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        service.addFlow("limited", name(A), FlowSpec.parse("transport=udp,remote_port=5000"),
                FlowProperties.DEFAULTS.setAll("maxbw=4M"));
        pump(a, b, 300); // the bucket's burst
        long[] got = pump(a, b, 2000);
        double limited = mbps(got[0], 2000);
        double other = mbps(got[1], 2000);
        FlowStatus s = service.flows(name(A)).get(0);
        String all = String.format("port 5000 (maxbw=4M) %.2f Mbit/s, port 6000 %.1f Mbit/s, flow drops %d", limited,
                other, s.drops());
        System.out.println(all);
        assertTrue(limited > 3.8 && limited < 4.2, all);
        assertTrue(other > 20, all);
        assertTrue(s.drops() > 0, all);
        await().atMost(VifRig.WAIT).until(() -> va.lane().counters().get(LaneCounter.SDROPS)
                >= service.flows(name(A)).get(0).drops());

        // the same limit inbound: on B's flow for what it receives on port 5000
        service.removeFlows(name(A));
        service.addFlow("limitedIn", name(B), FlowSpec.parse("transport=udp,local_port=5000"),
                FlowProperties.DEFAULTS.setAll("maxbw=4M"));
        pump(a, b, 300);
        got = pump(a, b, 2000);
        limited = mbps(got[0], 2000);
        other = mbps(got[1], 2000);
        s = service.flows(name(B)).get(0);
        all = String.format("inbound: port 5000 (maxbw=4M) %.2f Mbit/s, port 6000 %.1f Mbit/s, flow drops %d", limited,
                other, s.drops());
        System.out.println(all);
        assertTrue(limited > 3.8 && limited < 4.2, all);
        assertTrue(other > 20, all);
        assertTrue(s.drops() > 0 && rig.vif(B).rx().counters().droppedAdmission == s.drops(), all);

        // set-flowprop lifts it live
        service.resetFlowProperty("limitedIn", "maxbw");
        pump(a, b, 200);
        got = pump(a, b, 1000);
        assertTrue(mbps(got[0], 1000) > 20, "after reset-flowprop: " + mbps(got[0], 1000));
    }
}
