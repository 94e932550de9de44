package org.xnb.vnic.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/** The token bucket alone and as a lane's maxbw, over simulated time (a fake clock). */
class TokenBucketTest {
    private static final long S = 1_000_000_000L;

    @Test
    void startsFullAndRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(8_000_000L, 10_000, 0); // 1 MB/s = 1 byte per us
        assertTrue(b.tryConsume(10_000, 0));
        assertFalse(b.tryConsume(1, 0));
        assertEquals(1_000, b.readyAtNs(0, 1)); // 1 byte takes 1000 ns
        assertFalse(b.tryConsume(500, 499_000));
        assertTrue(b.tryConsume(500, 500_000));
        assertEquals(0, b.tokens());
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket b = new TokenBucket(8_000_000L, 10_000, 0);
        b.hasTokens(100 * S);
        assertEquals(10_000, b.tokens());
    }

    @Test
    void slowRatesKeepFractionsOfBytes() {
        TokenBucket b = new TokenBucket(8L, 1, 0); // 1 byte per second
        assertTrue(b.tryConsume(1, 0));
        long t = 0;
        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            t += S / 1000; // look every ms: each look adds 0.001 byte
            if (b.tryConsume(1, t)) {
                admitted++;
            }
        }
        assertEquals(10, admitted); // 10 s at 1 B/s
    }

    @Test
    void aDeficitIsPaidBackBeforeAnythingElseGoes() {
        TokenBucket b = new TokenBucket(8_000_000L, 1_000, 0);
        b.consume(5_000); // a batch bigger than the burst went
        assertEquals(-4_000, b.tokens());
        assertFalse(b.hasTokens(4_000_000));
        assertEquals(4_001_000, b.refillAtNs(4_000_000));
        assertTrue(b.hasTokens(4_001_000));
    }

    @Test
    void aFrameBiggerThanTheBurstPassesOnAFullBucket() {
        TokenBucket b = new TokenBucket(8_000L, TokenBucket.MIN_BURST_BYTES, 0);
        assertTrue(b.tryConsume(200_000, 0));
        assertFalse(b.tryConsume(1, 1));
    }

    @Test
    void ratesOutsideTheRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(7, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(TokenBucket.MAX_BITS_PER_SECOND + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1_000_000, 0, 0));
    }

    /**
     * A lane whose source always has more than the limit (32 x 1500 B per batch, a batch costing
     * 10 us of simulated time: about 38 Gbit/s offered) admits, over 10 simulated seconds, within
     * 5 % of maxbw, and sleeps (THROTTLED) between refills instead of polling.
     */
    @ParameterizedTest
    @ValueSource(longs = {10_000_000L, 100_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L})
    void aLaneAdmitsWithinFivePercentOfItsMaxbw(long bitsPerSecond) {
        try (CountersFile file = CountersFile.inMemory(64)) {
            LaneCounters counters = LaneCounters.allocate(file, 1, 0, "vnic0");
            LaneWork flood = new LaneWork() {
                @Override
                public int doWork() {
                    counters.in(32, 32 * 1500L);
                    return 32;
                }

                @Override
                public boolean armNotifications() {
                    return true;
                }

                @Override
                public void suppressNotifications() {
                }
            };
            Lane lane = new Lane(1, "vnic0", 0, flood, counters, PollingPolicy.DEFAULTS, null, LanePriority.MEDIUM);
            lane.setMaxBandwidth(bitsPerSecond);
            long now = 0;
            long end = 10 * S;
            long steps = 0;
            long throttles = 0;
            while (now < end) {
                LaneStep s = lane.step(now);
                steps++;
                if (s == LaneStep.THROTTLED) {
                    throttles++;
                    assertTrue(lane.throttledUntilNs() > now);
                    now = lane.throttledUntilNs(); // the thread sleeps until the refill
                } else {
                    assertEquals(LaneStep.CONTINUE, s);
                    now += 10_000;
                }
            }
            double admittedBits = counters.get(LaneCounter.RBYTES) * 8.0;
            double rate = admittedBits / 10.0;
            assertEquals(bitsPerSecond, rate, bitsPerSecond * 0.05,
                    "admitted " + rate + " bit/s for maxbw " + bitsPerSecond);
            assertEquals(LaneMode.POLL, lane.mode());
            assertTrue(throttles > 0);
            assertTrue(steps < 3 * (throttles + counters.get(LaneCounter.IPKTS) / 32), "no busy polling while throttled");
        }
    }
}
