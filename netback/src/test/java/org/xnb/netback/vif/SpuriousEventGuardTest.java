package org.xnb.netback.vif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Linux's lateeoi delays for repeated spurious events, per port, on a hand-moved clock. */
class SpuriousEventGuardTest {
    private static final long MS = 1_000_000L;
    private final SpuriousEventGuard guard = new SpuriousEventGuard();
    private long now = 5_000 * MS;

    @Test
    void theDelayDoublesFromTheSecondSpuriousEventUpToOneSecond() {
        assertTrue(guard.onEvent(SpuriousEventGuard.TX, false, now), "the first spurious event is unmasked at once");
        long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000, 1000};
        for (long delay : expected) {
            assertFalse(guard.onEvent(SpuriousEventGuard.TX, false, now));
            assertEquals(delay * MS, guard.nanosUntilNext(now));
            now += delay * MS - 1;
            assertEquals(-1, guard.takeDue(now), "not before its time");
            now += 1;
            assertEquals(SpuriousEventGuard.TX, guard.takeDue(now));
            assertEquals(-1, guard.nanosUntilNext(now));
        }
        assertEquals(1 + expected.length, guard.spuriousEvents());
        assertEquals(expected.length, guard.deferredUnmasks());
    }

    @Test
    void anEventWithWorkResetsTheCountAndPortsCountApart() {
        assertTrue(guard.onEvent(SpuriousEventGuard.RX, false, now));
        assertFalse(guard.onEvent(SpuriousEventGuard.RX, false, now));
        assertEquals(SpuriousEventGuard.RX, guard.takeDue(now + MS));
        assertTrue(guard.onEvent(SpuriousEventGuard.TX, false, now), "Tx counts on its own");
        assertTrue(guard.onEvent(SpuriousEventGuard.RX, true, now), "work: unmask at once");
        assertTrue(guard.onEvent(SpuriousEventGuard.RX, false, now), "and the count starts again");
        assertFalse(guard.onEvent(SpuriousEventGuard.RX, false, now));
        assertEquals(MS, guard.nanosUntilNext(now));
    }

    @Test
    void aCreditHoldKeepsTheLaterDeadlineAndARateChangeEndsIt() {
        guard.holdUntil(SpuriousEventGuard.TX, now + 10 * MS);
        guard.holdUntil(SpuriousEventGuard.TX, now + 5 * MS);
        assertEquals(10 * MS, guard.nanosUntilNext(now));
        assertTrue(guard.held(SpuriousEventGuard.TX));
        assertEquals(SpuriousEventGuard.TX, guard.takeDue(now + 10 * MS));
        assertFalse(guard.held(SpuriousEventGuard.TX));
        // a rate change ends a credit hold at once; nothing held, nothing to end
        guard.holdUntil(SpuriousEventGuard.TX, now + 10 * MS);
        guard.dueNow(SpuriousEventGuard.TX, now);
        assertEquals(SpuriousEventGuard.TX, guard.takeDue(now));
        guard.dueNow(SpuriousEventGuard.RX, now);
        assertEquals(-1, guard.takeDue(now));
    }

    @Test
    void anEventCountsAsWorkOnlyIfItsRingsConsumerMovedSinceItsLastEvent() {
        assertTrue(guard.consumedSinceLastEvent(SpuriousEventGuard.TX, 3), "3 requests taken before the first event");
        assertFalse(guard.consumedSinceLastEvent(SpuriousEventGuard.TX, 3), "nothing taken since");
        assertFalse(guard.consumedSinceLastEvent(SpuriousEventGuard.RX, 0), "rings are counted apart");
        assertTrue(guard.consumedSinceLastEvent(SpuriousEventGuard.TX, 4));
        assertTrue(guard.consumedSinceLastEvent(SpuriousEventGuard.RX, -1), "index wrap-around is movement too");
        assertFalse(guard.consumedSinceLastEvent(SpuriousEventGuard.TX, 4));
    }
}
