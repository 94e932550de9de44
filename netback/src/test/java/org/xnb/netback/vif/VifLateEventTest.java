package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;

/**
 * A guest's Tx kick that arrives after the vif's lane already took its requests (the lane ran for
 * a frame to the guest, and its batch serves both rings) announced real work: it must not count
 * as spurious (XSA-332), or the port's unmask is held back longer and longer while the guest,
 * whose next requests wait for that kick, stalls. On real Xen under QEMU this held a TCP sender
 * for up to a second at a time.
 */
class VifLateEventTest {
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

    @Test
    void aKickForRequestsAnRxBatchTookIsNotSpurious() throws Exception {
        rig = new VifRig(dir);
        rig.startService();
        GuestDriver a = rig.addGuest(A, true);
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        a.send(a.frame(b.mac, 200, 0)); // the switch learns A
        VifEndToEndTest.awaitFrames(b, 1);
        long spurious = va.spuriousEvents();
        long deferred = va.deferredUnmasks();
        for (int i = 1; i <= 6; i++) {
            long taken = va.tx().counters().packets;
            a.front.postPacket(a.frame(b.mac, 200, i));
            a.front.pushTx(); // published; the kick is still "in flight"
            b.send(b.frame(a.mac, 100, i)); // wakes A's lane through its doorbell: its batch takes A's request
            await().atMost(VifRig.WAIT).until(() -> va.tx().counters().packets == taken + 1);
            long handled = va.eventsHandled();
            a.front.events.notify(a.front.port); // the kick lands now, its work done already
            await().atMost(VifRig.WAIT).until(() -> va.eventsHandled() > handled);
        }
        assertEquals(spurious, va.spuriousEvents(), "late kicks counted as spurious");
        assertEquals(deferred, va.deferredUnmasks(), "unmasks held back");
        assertEquals(7, VifEndToEndTest.awaitFrames(b, 6).size() + 1);
    }
}
