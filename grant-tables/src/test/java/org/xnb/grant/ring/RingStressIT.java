package org.xnb.grant.ring;

import org.junit.jupiter.api.Test;

/** The long run of {@link RingStressTest}: tens of millions of entries each way. */
class RingStressIT {

    @Test
    void tensOfMillionsOfEntries() throws InterruptedException {
        long entries = Long.getLong("xnb.ring.stress.it.entries", 30_000_000L);
        RingStressTest.runAndCheck(entries, Math.max(300_000, entries / 20));
    }
}
