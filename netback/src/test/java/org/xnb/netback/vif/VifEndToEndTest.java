package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.netback.GuestRule;
import org.xnb.netback.HarnessHost;
import org.xnb.netback.MockNetfront;
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
    void thousandsOfFramesBothWaysAtOnceAddUp() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        int frames = 5000;
        long[] received = new long[2];
        Thread ta = new Thread(() -> pump(a, b.mac, frames, received, 0), "guest-a");
        Thread tb = new Thread(() -> pump(b, a.mac, frames, received, 1), "guest-b");
        ta.start();
        tb.start();
        ta.join(60_000);
        tb.join(60_000);
        assertFalse(ta.isAlive() || tb.isAlive(), "guests still pumping");
        // every frame sent was either delivered or counted as a drop by the receiver's Rx queue
        Vif va = rig.vif(A);
        Vif vb = rig.vif(B);
        await().atMost(VifRig.WAIT).until(() -> va.tx().counters().packets == frames
                && vb.tx().counters().packets == frames);
        await().atMost(VifRig.WAIT).until(() -> {
            received[0] += a.receive().size();
            received[1] += b.receive().size();
            return received[1] + vb.rx().counters().droppedQueueFull == frames
                    && received[0] + va.rx().counters().droppedQueueFull == frames;
        });
        assertEquals(vb.rx().counters().packets, received[1]);
        assertEquals(va.rx().counters().packets, received[0]);
        assertTrue(received[0] > frames / 2 && received[1] > frames / 2, "most frames delivered: " + received[0]
                + ", " + received[1]);
    }

    /** One guest's loop: send {@code frames} to {@code dst} while receiving whatever comes. */
    private static void pump(GuestDriver g, long dst, int frames, long[] received, int slot) {
        long deadline = System.nanoTime() + 50_000_000_000L;
        int sent = 0;
        while (sent < frames && System.nanoTime() < deadline) {
            if (g.txRoom(1)) {
                g.send(g.frame(dst, 64 + sent % 1400, sent));
                sent++;
            }
            for (GuestDriver.Received r : g.receive()) {
                if (r.bytes().length < 22) {
                    throw new AssertionError("runt frame");
                }
                synchronized (received) {
                    received[slot]++;
                }
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
}
