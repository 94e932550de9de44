package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Link properties on live vifs through {@link NetbackService}'s {@code LinkAdmin}, on the harness:
 * protection drops spoofed frames before the switch and counts them by reason; maxbw set live
 * changes how many bytes cross; an explicit maxbw overrides the xenstore rate (the Tx credit goes
 * unlimited) and reset-linkprop gives the rate back.
 */
class VifLinkPropertiesTest {
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

    /** An IPv4/UDP frame from {@code a}'s or another MAC with source address 198.18.0.{@code src}. */
    private static byte[] ipv4(GuestDriver from, long srcMac, long dstMac, int src, int seq) {
        byte[] f = from.frame(dstMac, 100, seq);
        for (int i = 0; i < 6; i++) {
            f[6 + i] = (byte) (srcMac >>> (40 - 8 * i));
        }
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 1] = 0;
        f[ip + 2] = 0;
        f[ip + 3] = (byte) (100 - 14);
        f[ip + 6] = 0; // no fragment
        f[ip + 7] = 0;
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        byte[] s = {(byte) 198, 18, 0, (byte) src};
        byte[] d = {(byte) 198, 18, 0, 99};
        System.arraycopy(s, 0, f, ip + 12, 4);
        System.arraycopy(d, 0, f, ip + 16, 4);
        f[ip + 20] = 0x30; // UDP ports 12345 -> 12346, not DHCP
        f[ip + 21] = 0x39;
        f[ip + 22] = 0x30;
        f[ip + 23] = 0x3a;
        f[ip + 24] = 0;
        f[ip + 25] = (byte) (100 - 34);
        return f;
    }

    @Test
    void protectionDropsSpoofedFramesBeforeTheSwitchAndCountsThemByReason() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        List<VnicStatus> vnics = service.vnics();
        assertEquals(List.of(name(A), name(B)), vnics.stream().map(VnicStatus::name).toList());
        assertEquals(VifNodes.mac(A, 0), vnics.get(0).mac());
        assertEquals("up", vnics.get(0).state());

        service.setProperties(name(A), "protection=mac-nospoof,ip-nospoof,allowed-ips=198.18.0.1", false);
        List<byte[]> good = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < 5; i++) {
            a.send(ipv4(a, a.mac, b.mac, 1, seq++)); // good
            good.add(null);
            a.send(ipv4(a, 0x00163e_aabbccL, b.mac, 1, seq++)); // spoofed MAC
            a.send(ipv4(a, a.mac, b.mac, 9, seq++)); // spoofed IPv4 source
            a.send(ipv4(a, a.mac, b.mac, 1, seq++)); // good
        }
        List<GuestDriver.Received> got = VifEndToEndTest.awaitFrames(b, 10);
        Vif va = rig.vif(A);
        await().atMost(VifRig.WAIT).until(() -> va.tx().counters().packets == 20);
        Thread.sleep(200); // anything wrongly forwarded would have arrived by now
        got.addAll(b.receive());
        assertEquals(10, got.size(), "only the good frames cross");
        for (GuestDriver.Received r : got) {
            assertEquals(1, r.bytes()[14 + 15], "a frame from 198.18.0.1");
            assertEquals(a.mac, GuestDriver.parseMac(macText(r.bytes(), 6)));
        }
        LinkStatistics st = service.statistics(name(A)).get(0);
        assertEquals(5, st.macspoofed());
        assertEquals(5, st.ipspoofed());
        assertEquals(0, st.dhcpspoofed() + st.restricted() + st.malformed() + st.mtudrops());
        assertEquals(20, st.ipkts(), "the lane took every frame from the ring");
        await().atMost(VifRig.WAIT).until(() -> va.lane().counters().get(LaneCounter.SDROPS) == 10);

        // reset: the same spoofed frame crosses
        service.resetProperty(name(A), "protection");
        a.send(ipv4(a, 0x00163e_aabbccL, b.mac, 9, seq++));
        assertEquals(1, VifEndToEndTest.awaitFrames(b, 1).size());
        assertEquals(5, service.statistics(name(A)).get(0).macspoofed());
    }

    private static String macText(byte[] f, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(i > 0 ? ":" : "").append(String.format("%02x", f[at + i] & 0xff));
        }
        return sb.toString();
    }

    @Test
    void anExplicitMtuDropsLongerNonGsoFrames() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        service.setProperties(name(A), "mtu=1000", false);
        a.send(a.frame(b.mac, 1018, 1)); // mtu + 18: passes
        a.send(a.frame(b.mac, 1019, 2)); // one more: dropped
        a.send(a.frame(b.mac, 3000, 3), org.xnb.grant.netif.ExtraInfo.GSO_TYPE_TCPV4, 900); // GSO passes
        List<GuestDriver.Received> got = VifEndToEndTest.awaitFrames(b, 2);
        Thread.sleep(200);
        got.addAll(b.receive());
        assertEquals(List.of(1018, 3000), got.stream().map(r -> r.bytes().length).toList());
        assertEquals(1, service.statistics(name(A)).get(0).mtudrops());
    }

    /**
     * Sends from {@code a} to {@code b} for {@code ms} with at most 16 requests in flight (so one Tx
     * batch, which the bucket debits whole, is 16 KB, not a ring's 256 KB); bytes {@code b} got.
     */
    private static long pump(GuestDriver a, GuestDriver b, long ms) {
        long bytes = 0;
        long end = System.nanoTime() + ms * 1_000_000L;
        int seq = 0;
        while (System.nanoTime() < end) {
            boolean sent = false;
            for (int i = 0; i < 16 && a.txRoom(256 - 16 + 1); i++) {
                a.send(a.frame(b.mac, 1000, seq++));
                sent = true;
            }
            for (GuestDriver.Received r : b.receive()) {
                bytes += r.bytes().length;
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

    /** Mbit/s taken from {@code a}'s ring by its lane (what maxbw limits) while pumping for {@code ms}. */
    private static double laneMbps(Vif va, GuestDriver a, GuestDriver b, long ms) {
        long bytes = va.lane().counters().get(LaneCounter.RBYTES);
        long t0 = System.nanoTime();
        pump(a, b, ms);
        long taken = va.lane().counters().get(LaneCounter.RBYTES) - bytes;
        return taken * 8.0 / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    @Test
    void maxbwSetLiveChangesWhatCrosses() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        double free = mbps(pump(a, b, 1000), 1000);

        service.setProperties(name(A), "maxbw=10M", false);
        assertEquals(10_000_000L, va.lane().maxBandwidth());
        pump(a, b, 400); // the bucket's burst and what was queued
        double ten = laneMbps(va, a, b, 2000);
        double tenAtB = mbps(pump(a, b, 1000), 1000);

        service.setProperties(name(A), "maxbw=5M", false);
        pump(a, b, 400);
        double five = laneMbps(va, a, b, 2000);

        service.resetProperty(name(A), "maxbw");
        assertEquals(0, va.lane().maxBandwidth());
        pump(a, b, 200);
        double again = mbps(pump(a, b, 1000), 1000);
        String all = String.format("unlimited %.1f, maxbw=10M %.2f (at B %.2f), maxbw=5M %.2f, reset %.1f Mbit/s",
                free, ten, tenAtB, five, again);
        System.out.println(all);
        assertTrue(free > 20, all);
        assertTrue(ten > 9.5 && ten < 10.5, all);
        assertTrue(tenAtB > 8.5 && tenAtB < 11.5, all);
        assertTrue(five > 4.75 && five < 5.25, all);
        assertTrue(again > 20, all);
    }

    @Test
    void anExplicitMaxbwOverridesTheXenstoreRateAndResetGivesItBack() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        GuestDriver a = rig.addGuest(A, false, false, Map.of("rate", "3000,10000")); // 2.4 Mbit/s
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        LinkPropertyStatus maxbw = service.properties(name(A)).get(0);
        assertEquals("maxbw", maxbw.property());
        assertEquals("--", maxbw.value());
        assertEquals("2.4", maxbw.effective(), "the rate as the effective maxbw");

        service.setProperties(name(A), "maxbw=20M", false);
        await().atMost(VifRig.WAIT).until(() -> va.tx().credit().unlimited());
        maxbw = service.properties(name(A)).get(0);
        assertEquals("20", maxbw.value());
        assertEquals("20", maxbw.effective());
        pump(a, b, 300);
        double twenty = mbps(pump(a, b, 1000), 1000);
        assertTrue(twenty > 15 && twenty < 21, "maxbw=20M over rate 2.4M: " + twenty);

        // a rate change while maxbw is set is recorded, not applied
        rig.toolstack.dom0.write(VifNodes.backend(A, 0) + "/rate", "2000,10000");
        await().atMost(VifRig.WAIT).until(() -> va.rate().creditBytes() == 2000);
        Thread.sleep(100);
        assertTrue(va.tx().credit().unlimited());
        assertEquals("20", service.properties(name(A)).get(0).effective());

        service.resetProperty(name(A), "maxbw");
        await().atMost(VifRig.WAIT).until(() -> va.tx().credit().creditBytes() == 2000);
        assertEquals(0, va.lane().maxBandwidth());
        assertEquals("1.6", service.properties(name(A)).get(0).effective());
        pump(a, b, 300);
        double rate = mbps(pump(a, b, 1000), 1000);
        // at most the rate (plus a burst): how close below it the credit's wake-ups get is TxCredit's
        // and the vif's business (under repair), not this test's
        assertTrue(rate > 0.05 && rate < 2.0, "back on the rate's 1.6 Mbit/s: " + rate);
        assertTrue(!va.tx().credit().unlimited() && va.tx().credit().limitedCount() > 0, "the credit limits again");
    }

    @Test
    void priorityAndCpusReachTheLaneAndBadValuesChangeNothing() throws Exception {
        rig = new VifRig(dir);
        NetbackService service = rig.startService();
        rig.addGuest(A, false);
        Vif va = rig.vif(A);
        int[] before = org.xnb.vnic.lane.CpuAffinity.cpusOf(va.laneThread().tid());
        service.setProperties(name(A), "priority=high,cpus=0", false);
        assertEquals(LanePriority.HIGH, va.lane().priority());
        assertArrayEquals(new int[] {0}, org.xnb.vnic.lane.CpuAffinity.cpusOf(va.laneThread().tid()));
        LinkPropertyStatus cpus = service.properties(name(A)).get(2);
        assertEquals("cpus", cpus.property());
        assertEquals("0", cpus.effective());

        LinkAdminException e = assertThrows(LinkAdminException.class,
                () -> service.setProperties(name(A), "priority=low,maxbw=7Q", false));
        assertTrue(e.getMessage().contains("maxbw") && e.getMessage().contains("e.g. 100M"), e.getMessage());
        assertEquals(LanePriority.HIGH, va.lane().priority(), "all or nothing");
        e = assertThrows(LinkAdminException.class, () -> service.setProperties("vif9.0", "priority=low", false));
        assertTrue(e.getMessage().contains("no link 'vif9.0'") && e.getMessage().contains(name(A)), e.getMessage());
        e = assertThrows(LinkAdminException.class, () -> service.resetProperty(name(A), "speed"));
        assertTrue(e.getMessage().contains("allowed: maxbw"), e.getMessage());

        service.resetProperty(name(A), "cpus");
        assertArrayEquals(before, org.xnb.vnic.lane.CpuAffinity.cpusOf(va.laneThread().tid()));
        service.resetProperty(name(A), "priority");
        assertEquals(LanePriority.MEDIUM, va.lane().priority());
    }
}
