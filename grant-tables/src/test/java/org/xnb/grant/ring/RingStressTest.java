package org.xnb.grant.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Two threads over one ring, both directions, with notification suppression and sleeping
 * consumers (see {@link RingPingPong}). Sized for ~1-2 s; {@code -Dxnb.ring.stress.entries=N}
 * runs more; {@link RingStressIT} runs tens of millions.
 */
class RingStressTest {

    static void runAndCheck(long entries, long timeoutMs) throws InterruptedException {
        long seed = Long.getLong("xnb.ring.stress.seed", System.nanoTime());
        RingPingPong.Result r = new RingPingPong(entries, seed).run(timeoutMs);
        System.out.printf("ring stress: %,d entries each way in %.2f s (seed %d); kicks to backend %,d, "
                + "to frontend %,d; backend slept %,d, frontend slept %,d%n", r.entries(), r.elapsedNs() / 1e9,
                seed, r.backendNotifies(), r.frontendNotifies(), r.backendSleeps(), r.frontendSleeps());
        assertEquals(entries, r.entries());
        // every sleep ended by a notification (or a pending one): sleeps cannot exceed kicks + 1 per side
        assertTrue(r.backendSleeps() <= r.backendNotifies() + 1, "backend woke without a kick");
        assertTrue(r.frontendSleeps() <= r.frontendNotifies() + 1, "frontend woke without a kick");
        // suppression works: far fewer kicks than entries
        assertTrue(r.backendNotifies() < entries / 2, "kicks to backend " + r.backendNotifies());
        assertTrue(r.frontendNotifies() < entries / 2, "kicks to frontend " + r.frontendNotifies());
        // the sleep path (the one that can lose wake-ups) was exercised
        assertTrue(r.backendSleeps() > 0 && r.frontendSleeps() > 0, "both sides must have slept");
    }

    @Test
    void noLostWakeupNoDuplicateNoOverrun() throws InterruptedException {
        runAndCheck(Long.getLong("xnb.ring.stress.entries", 6_000_000L), 60_000);
    }
}
