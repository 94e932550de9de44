package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.netback.GuestRule;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.port.MacAddress;

/**
 * Two and three guests end to end through netback as the daemon runs it: the toolstack writes the
 * vif nodes, each guest does the xenbus handshake on its own socket and drives a mock netfront on
 * the rings and ports it published, and frames cross the in-process switch.
 */
class VifEndToEndTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;
    private static final int C = HarnessHost.GUEST_C;

    @TempDir
    Path dir;
    private VifRig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new VifRig(dir);
        rig.startService();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    /** Waits until {@code g} has received {@code n} more frames, and returns them. */
    static List<GuestDriver.Received> awaitFrames(GuestDriver g, int n) {
        List<GuestDriver.Received> got = new ArrayList<>();
        await().atMost(VifRig.WAIT).until(() -> {
            got.addAll(g.receive());
            return got.size() >= n;
        });
        return got;
    }

    @Test
    void aUnicastFrameFromAReachesBExactlyAndNobodyElse() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true); // split event channels
        GuestDriver c = rig.addGuest(C, false);
        byte[] sent = a.frame(b.mac, 1000, 1);
        a.send(sent);
        List<GuestDriver.Received> got = awaitFrames(b, 1);
        assertEquals(1, got.size());
        assertArrayEquals(sent, got.get(0).bytes());
        await().atMost(VifRig.WAIT).until(() -> rig.vif(A).tx().counters().packets == 1);
        assertEquals(0, rig.vif(C).rx().counters().enqueued);
        assertEquals(0, rig.vif(A).rx().counters().enqueued);
        assertTrue(c.receive().isEmpty());
        assertEquals("vif" + B + ".0", rig.service.port().ownerOf(b.mac));
    }

    @Test
    void broadcastReachesEveryOtherGuestButNotTheSender() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        GuestDriver c = rig.addGuest(C, true);
        byte[] sent = a.frame(MacAddress.BROADCAST, 60, 7);
        a.send(sent);
        assertArrayEquals(sent, awaitFrames(b, 1).get(0).bytes());
        assertArrayEquals(sent, awaitFrames(c, 1).get(0).bytes());
        assertEquals(0, rig.vif(A).rx().counters().enqueued);
        assertTrue(a.receive().isEmpty());
    }

    @Test
    void gsoMetadataAndMultiSlotFramesPassThrough() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        byte[] sent = a.frame(b.mac, 20_000, 3);
        a.send(sent, ExtraInfo.GSO_TYPE_TCPV4, 1448);
        GuestDriver.Received r = awaitFrames(b, 1).get(0);
        assertArrayEquals(sent, r.bytes());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV4, r.gsoType());
        assertEquals(1448, r.gsoSize());
        assertTrue((r.flags() & NetRxFlags.CSUM_BLANK) != 0, "csum_blank travels with the GSO frame");
    }

    @Test
    void thousandsOfFramesBothWaysAtOnceAllArriveWhenTheGuestsKeepUp() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        int frames = 5000;
        // received[0] = at A, received[1] = at B; a sender keeps at most WINDOW frames unreceived,
        // so the receiver's Rx queue never overflows and every frame must arrive
        AtomicLongArray received = new AtomicLongArray(2);
        Thread ta = new Thread(() -> pump(a, b.mac, frames, received, 0, 1), "guest-a");
        Thread tb = new Thread(() -> pump(b, a.mac, frames, received, 1, 0), "guest-b");
        ta.start();
        tb.start();
        ta.join(60_000);
        tb.join(60_000);
        assertFalse(ta.isAlive() || tb.isAlive(), "guests still pumping");
        Vif va = rig.vif(A);
        Vif vb = rig.vif(B);
        assertEquals(frames, received.get(0));
        assertEquals(frames, received.get(1));
        // the vif threads count a frame after handing it on: their plain counters may trail the
        // guests' view by a moment, never by a frame once they settle
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals(frames, va.tx().counters().packets);
            assertEquals(frames, vb.tx().counters().packets);
            assertEquals(frames, va.rx().counters().packets);
            assertEquals(frames, vb.rx().counters().packets);
        });
        assertEquals(0, va.rx().counters().droppedQueueFull + vb.rx().counters().droppedQueueFull);
    }

    private static final int WINDOW = 150;

    /** One guest's loop: send {@code frames} to the peer (windowed) while receiving what comes. */
    private static void pump(GuestDriver g, long dst, int frames, AtomicLongArray received, int self, int peer) {
        long deadline = System.nanoTime() + 50_000_000_000L;
        int sent = 0;
        while ((sent < frames || received.get(self) < frames) && System.nanoTime() < deadline) {
            if (sent < frames && sent - received.get(peer) < WINDOW && g.txRoom(1)) {
                g.send(g.frame(dst, 64 + sent % 1400, sent));
                sent++;
            }
            for (GuestDriver.Received r : g.receive()) {
                int seq = (r.bytes()[14] & 0xff) << 24 | (r.bytes()[15] & 0xff) << 16 | (r.bytes()[16] & 0xff) << 8
                        | (r.bytes()[17] & 0xff);
                if (seq != received.get(self)) {
                    throw new AssertionError("guest " + g.domid + " got frame " + seq + ", expected "
                            + received.get(self));
                }
                received.incrementAndGet(self);
            }
        }
    }

    @Test
    void aMisbehavingGuestIsDisabledAloneWhileTheOthersKeepPassingTraffic() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        GuestDriver c = rig.addGuest(C, false);
        // C publishes an impossible req_prod (more requests than the ring holds; req_prod is the
        // first word of the shared ring page) and kicks
        c.front.memory.putIntVolatile(HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME), 100_000);
        c.front.events.notify(c.front.port);
        await().atMost(VifRig.WAIT).until(() -> rig.vif(C).disabled());
        assertEquals(GuestRule.IMPOSSIBLE_REQUEST_COUNT, rig.vif(C).fatalError().rule());
        await().atMost(VifRig.WAIT).until(() -> !rig.vif(C).thread().isAlive());
        // A and B keep going, both ways, and C gets nothing more (not even broadcasts)
        for (int i = 0; i < 50; i++) {
            a.send(a.frame(b.mac, 100 + i, i));
            b.send(b.frame(MacAddress.BROADCAST, 100 + i, i));
        }
        assertEquals(50, awaitFrames(b, 50).size());
        assertEquals(50, awaitFrames(a, 50).size());
        assertEquals(2, rig.service.port().memberCount());
        assertEquals(0, rig.vif(C).rx().counters().enqueued);
        assertTrue(c.receive().isEmpty());
        assertEquals("4", rig.toolstack.backendState(A, 0));
    }

    @Test
    void aGuestWithMulticastControlGetsOnlyItsGroupsWhileOthersGetEveryFlood() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false, true);
        GuestDriver c = rig.addGuest(C, false);
        assertTrue(rig.vif(B) != null);
        long joined = 0x0100_5e00_0001L;
        long other = 0x0100_5e00_0002L;
        b.subscribe(joined);
        await().atMost(VifRig.WAIT).until(() -> rig.vif(B).tx().counters().slots >= 2);
        byte[] toJoined = a.frame(joined, 90, 1);
        byte[] toOther = a.frame(other, 91, 2);
        byte[] toAll = a.frame(MacAddress.BROADCAST, 92, 3);
        a.send(toJoined);
        a.send(toOther);
        a.send(toAll);
        List<GuestDriver.Received> atC = awaitFrames(c, 3);
        assertArrayEquals(toOther, atC.get(1).bytes());
        List<GuestDriver.Received> atB = awaitFrames(b, 2);
        assertEquals(2, atB.size());
        assertArrayEquals(toJoined, atB.get(0).bytes());
        assertArrayEquals(toAll, atB.get(1).bytes());
        assertEquals(1, rig.vif(B).rx().counters().droppedMulticastFilter);
    }

    @Test
    void twoGuestsSendingToOneAtOnceArriveIntactInEachSendersOrder() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        GuestDriver c = rig.addGuest(C, false);
        int frames = 3000;
        Thread ta = new Thread(() -> blast(a, b.mac, frames), "guest-a");
        Thread tc = new Thread(() -> blast(c, b.mac, frames), "guest-c");
        ta.start();
        tc.start();
        int[] last = {-1, -1};
        long[] got = {0};
        Vif vb = rig.vif(B);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
            for (GuestDriver.Received r : b.receive()) {
                byte[] f = r.bytes();
                int seq = (f[14] & 0xff) << 24 | (f[15] & 0xff) << 16 | (f[16] & 0xff) << 8 | (f[17] & 0xff);
                int from = f[21];
                int k = from == A ? 0 : 1;
                assertTrue(seq > last[k], "order from " + from + ": " + seq + " after " + last[k]);
                GuestDriver sender = from == A ? a : c;
                assertArrayEquals(sender.frame(b.mac, f.length, seq), f, "frame " + from + "/" + seq);
                last[k] = seq;
                got[0]++;
            }
            return !ta.isAlive() && !tc.isAlive()
                    && got[0] + vb.rx().counters().droppedQueueFull == 2L * frames;
        });
        assertEquals(vb.rx().counters().packets, got[0]);
        assertTrue(got[0] > 0);
    }

    /** Sends {@code frames} frames to {@code dst} as fast as the Tx ring allows. */
    private static void blast(GuestDriver g, long dst, int frames) {
        long deadline = System.nanoTime() + 50_000_000_000L;
        for (int seq = 0; seq < frames && System.nanoTime() < deadline;) {
            if (g.txRoom(1)) {
                g.send(g.frame(dst, 64 + seq % 700, seq));
                seq++;
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
