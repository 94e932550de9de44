package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.Clock;
import org.xnb.netback.FakeClock;
import org.xnb.netback.tx.TxCredit;
import org.xnb.netback.xenbus.VifNodes;

/**
 * The toolstack's {@code rate} end to end: netback on the harness with the vifs on a
 * {@link FakeClock}, a guest sending more than its credit through the switch to another guest.
 * The byte count that crosses follows the credit window by window, a live change takes effect
 * at once, and a credit-blocked vif thread sleeps until the refill instead of spinning.
 */
class VifRateLimitTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;

    @TempDir
    Path dir;
    private VifRig rig;
    private final FakeClock clock = new FakeClock();

    @AfterEach
    void tearDown() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void theRateAtConnectLetsThroughOneWindowsCreditPerWindow() throws Exception {
        rig = new VifRig(dir);
        rig.startService(clock, RateHook.NONE);
        GuestDriver a = rig.addGuest(A, false, false, Map.of("rate", "3000,10000")); // 3000 B per 10 ms
        GuestDriver b = rig.addGuest(B, true);
        Vif va = rig.vif(A);
        assertEquals(3000, va.tx().credit().creditBytes());
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] f = a.frame(b.mac, 1000, i);
            a.send(f);
            sent.add(f);
        }
        List<GuestDriver.Received> got = new ArrayList<>();
        for (int window = 1; window <= 3; window++) {
            int expected = 3 * window;
            got.addAll(VifEndToEndTest.awaitFrames(b, 3));
            assertEquals(expected, va.tx().counters().packets);
            // fake time stands still: the thread keeps waking at the refill time it computed,
            // and nothing more gets through however often it looks or the guest kicks
            long wakeups = va.wakeups();
            a.front.events.notify(a.front.port);
            await().atMost(VifRig.WAIT).until(() -> va.wakeups() >= wakeups + 3);
            assertEquals(expected, va.tx().counters().packets);
            assertEquals(expected * 1000L, va.tx().counters().bytes);
            assertTrue(va.tx().credit().rateLimited());
            assertEquals(expected, got.size());
            assertTrue(b.receive().isEmpty(), "B got more than the credit");
            clock.advanceTo(va.tx().credit().retryAtNanos());
        }
        got.addAll(VifEndToEndTest.awaitFrames(b, 1));
        assertEquals(10, got.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(sent.get(i), got.get(i).bytes(), "frame " + i);
        }
        assertEquals(10_000L, va.tx().counters().bytes);
        assertEquals(3, va.tx().credit().limitedCount());
        await().atMost(VifRig.WAIT).until(() -> a.front.tx.responseProducer() == a.front.tx.requestProducer());
    }

    @Test
    void aLiveRateChangeAppliesAtOnceOnTheVifThread() throws Exception {
        rig = new VifRig(dir);
        rig.startService(clock, RateHook.NONE);
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        assertTrue(va.tx().credit().unlimited());
        // down to 2000 B per 10 ms: the unlimited remaining credit is cut to 2000 at once
        rig.toolstack.dom0.write(VifNodes.backend(A, 0) + "/rate", "2000,10000");
        await().atMost(VifRig.WAIT).until(() -> va.tx().credit().creditBytes() == 2000);
        for (int i = 0; i < 10; i++) {
            a.send(a.frame(b.mac, 1000, i));
        }
        assertEquals(2, VifEndToEndTest.awaitFrames(b, 2).size());
        long wakeups = va.wakeups();
        await().atMost(VifRig.WAIT).until(() -> va.wakeups() >= wakeups + 3);
        assertEquals(2, va.tx().counters().packets);
        assertEquals(0, b.receive().size());
        // the node removed = unlimited: the pending refill happens now with the new rate and the
        // eight waiting packets go without the (fake) clock moving
        long now = clock.nanoTime();
        rig.toolstack.dom0.rm(VifNodes.backend(A, 0) + "/rate");
        assertEquals(8, VifEndToEndTest.awaitFrames(b, 8).size());
        assertEquals(10, va.tx().counters().packets);
        assertEquals(now, clock.nanoTime());
        assertTrue(va.tx().credit().unlimited());
    }

    @Test
    void aCreditBlockedVifThreadSleepsUntilTheRefillInsteadOfSpinning() throws Exception {
        rig = new VifRig(dir);
        rig.startService(Clock.SYSTEM, RateHook.NONE);
        GuestDriver a = rig.addGuest(A, false, false, Map.of("rate", "1000,100000")); // 1000 B per 100 ms
        GuestDriver b = rig.addGuest(B, false);
        Vif va = rig.vif(A);
        long wakeups = va.wakeups();
        int frames = 6;
        for (int i = 0; i < frames; i++) { // all on the ring at once, one kick
            a.front.postPacket(a.frame(b.mac, 1000, i));
        }
        a.front.pushTx();
        a.front.events.notify(a.front.port);
        assertEquals(frames, VifEndToEndTest.awaitFrames(b, frames).size());
        TxCredit credit = va.tx().credit();
        // the exact one-per-window pacing is the FakeClock tests' business: on a loaded machine a
        // thread descheduled past a whole window legitimately finds fresh credit without waiting
        assertTrue(credit.limitedCount() >= 1, "never waited for credit");
        // five windows of waiting: about one wake-up per refill (plus the guest's kicks and the
        // first look); a thread spinning on the credit would count millions
        long used = va.wakeups() - wakeups;
        assertTrue(used <= 4 * frames, "vif thread woke " + used + " times for " + frames + " rate-limited frames");
        assertEquals(frames * 1000L, va.tx().counters().bytes);
    }
}
