package org.xnb.netback.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xnb.netback.FakeClock;

/** TxCredit against Linux's tx_credit_exceeded / tx_add_credit, on a fake clock. */
class TxCreditTest {
    private final FakeClock clock = new FakeClock();
    private final TxCredit credit = new TxCredit(clock);

    /** A guest sending as fast as the credit allows for {@code seconds} of simulated time; returns bytes sent. */
    private long saturate(double seconds, Random sizes, int minSize, int maxSize) {
        long end = clock.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        int size = minSize + sizes.nextInt(maxSize - minSize + 1);
        for (int guard = 0; guard < 10_000_000; guard++) {
            if (credit.tryConsume(size)) {
                sent += size;
                size = minSize + sizes.nextInt(maxSize - minSize + 1);
                continue;
            }
            long retry = credit.retryAtNanos();
            assertTrue(retry > clock.nanoTime(), "limited without a future retry time");
            if (retry > end) {
                return sent;
            }
            clock.advanceTo(retry);
        }
        throw new AssertionError("did not finish");
    }

    @ParameterizedTest(name = "{0} bytes per {1} us, packets {2}..{3}")
    @CsvSource({
        "10000, 10000, 60, 1514",      // 1 MB/s, small and MTU packets
        "125000, 1000, 1514, 1514",    // 1 Gbit/s in 1 ms windows
        "1000, 1000, 1514, 1514",      // packets bigger than one window's credit: 1 MB/s still
        "1000, 1000, 65535, 65535",    // 64 KiB GSO packets through a 1 MB/s limit
        "500000, 50000, 100, 1514",    // mixed sizes, 10 MB/s
    })
    void throughputOverSimulatedTimeEqualsTheRate(long bytes, long usec, int minSize, int maxSize) {
        credit.start(bytes, usec);
        double seconds = 20;
        long sent = saturate(seconds, new Random(bytes ^ usec), minSize, maxSize);
        double expected = bytes * (seconds * 1e6 / usec);
        // one burst (max 128 KiB or a window) and one packet of slack on top of the rate
        double slack = Math.max(TxCredit.MIN_BURST, bytes) + maxSize;
        assertTrue(Math.abs(sent - expected) <= 0.01 * expected + slack,
                "sent " + sent + " bytes, rate allows " + expected);
        assertTrue(credit.limitedCount() > 0);
    }

    @Test
    void unlimitedWhenNoRate() {
        assertTrue(credit.unlimited());
        for (int i = 0; i < 100_000; i++) {
            assertTrue(credit.tryConsume(65535));
        }
        assertEquals(TxCredit.NOT_LIMITED, credit.retryAtNanos());
        assertFalse(credit.rateLimited());
        assertEquals(0, credit.limitedCount());
    }

    @Test
    void aRefillIsCappedAtTheLinuxBurstOf128KiB() {
        long t0 = clock.nanoTime();
        credit.start(100_000, 100_000); // 100 kB per 100 ms
        assertTrue(credit.tryConsume(60_000));
        assertFalse(credit.tryConsume(60_000), "40000 left, window not over");
        assertEquals(t0 + 100_000_000L, credit.retryAtNanos());
        assertTrue(credit.rateLimited());

        clock.advanceTo(credit.retryAtNanos());
        assertTrue(credit.tryConsume(60_000));
        // the refill was min(40000 + 100000, max(128 KiB, 100000)) = 131072, less the packet
        assertEquals(131_072 - 60_000, credit.remaining());
        assertTrue(credit.tryConsume(60_000));
        assertFalse(credit.tryConsume(60_000));
        assertEquals(t0 + 200_000_000L, credit.retryAtNanos());
    }

    @Test
    void aRefillThatFellDueButHasNotHappenedStillAsksToBeRunAtOnce() {
        long t0 = clock.nanoTime();
        credit.start(100_000, 100_000);
        assertTrue(credit.tryConsume(60_000));
        assertFalse(credit.tryConsume(60_000));
        assertTrue(credit.rateLimited());
        clock.advanceTo(t0 + 100_000_001L);
        // no packet has looked since: the refill is owed, so the engine must still be run
        assertFalse(credit.rateLimited());
        assertEquals(t0 + 100_000_000L, credit.retryAtNanos());
        assertTrue(credit.tryConsume(60_000));
        assertEquals(TxCredit.NOT_LIMITED, credit.retryAtNanos());
    }

    @Test
    void aDueRefillHappensBeforeTheNextPacketAsLinuxTimerWould() {
        credit.start(100_000, 100_000);
        assertTrue(credit.tryConsume(60_000));
        assertFalse(credit.tryConsume(60_000));
        clock.advanceTo(credit.retryAtNanos() + 5_000_000);
        // a packet that would also fit the old 40000: the timer has fired first in Linux,
        // min(40000 + 100000, 131072) = 131072, then 30000 is taken
        assertTrue(credit.tryConsume(30_000));
        assertEquals(131_072 - 30_000, credit.remaining());
        assertEquals(TxCredit.NOT_LIMITED, credit.retryAtNanos());
    }

    @Test
    void aCreditAbove128KiBIsItsOwnBurst() {
        credit.start(1_000_000, 1_000_000);
        assertTrue(credit.tryConsume(999_000 & 0xffff));
        long left = credit.remaining();
        clock.advanceSeconds(5); // idle: no credit saved beyond one window on top of what is left
        int big = 65535;
        long sent = 0;
        while (credit.tryConsume(big)) {
            sent += big;
        }
        assertTrue(sent <= left + 1_000_000 && sent > left + 1_000_000 - 2 * big, "burst " + sent);
        assertTrue(credit.remaining() <= 1_000_000);
    }

    @Test
    void aPacketLargerThanTheWindowWaitsUntilEnoughWindowsAccumulate() {
        long t0 = clock.nanoTime();
        credit.start(1000, 1000); // 1000 bytes per ms
        assertFalse(credit.tryConsume(65535));
        int waits = 0;
        while (!credit.tryConsume(65535)) {
            clock.advanceTo(credit.retryAtNanos());
            waits++;
            assertTrue(waits < 100);
        }
        // 1000 at start + 1000 per ms: 65 ms until 66000 >= 65535
        assertEquals(t0 + 65_000_000L, clock.nanoTime());
    }

    @Test
    void liveChangeWhileLimitedRefillsAtOnceWithTheNewRate() {
        credit.start(1000, 1_000_000); // 1000 bytes per second
        assertTrue(credit.tryConsume(1000));
        assertFalse(credit.tryConsume(1500));
        assertTrue(credit.rateLimited());

        credit.setRate(10_000_000, 1_000_000); // xen_net_rate_changed: the pending timer fires now
        assertFalse(credit.rateLimited());
        assertEquals(10_000_000, credit.remaining());
        assertTrue(credit.tryConsume(1500));
    }

    @Test
    void liveChangeDownCutsTheRemainingCredit() {
        credit.start(1_000_000, 1_000_000);
        assertTrue(credit.tryConsume(1000));
        credit.setRate(5000, 1_000_000);
        assertEquals(5000, credit.remaining());
        assertTrue(credit.tryConsume(5000));
        // and up again does not add credit by itself (no refill pending): the window must end
        long t0 = clock.nanoTime();
        credit.setRate(1_000_000, 1_000_000);
        assertEquals(0, credit.remaining());
        assertFalse(credit.tryConsume(1));
        assertEquals(t0 + 1_000_000_000L, credit.retryAtNanos());
    }

    @Test
    void aCreditAboveTheBurstFloorLosesTheLeftoverAtEachRefillAsLinuxDoes() {
        // 500 kB per 50 ms with 64 KiB packets: 7 fit (458745), the 41255 left plus the next
        // window's 500000 is capped at max(128 KiB, 500000) = 500000, so 7 packets per window
        credit.start(500_000, 50_000);
        long sent = saturate(20, new Random(1), 65535, 65535);
        // the first window and 400 refills (the last one at exactly 20 s)
        assertEquals(7L * 65535 * 401, sent); // 9.17 MB/s, not the 10 MB/s of the rate
    }

    @Test
    void liveChangeToUnlimited() {
        credit.start(1000, 1_000_000);
        assertTrue(credit.tryConsume(1000));
        assertFalse(credit.tryConsume(1000));
        credit.setRate(TxCredit.UNLIMITED, 0);
        assertTrue(credit.unlimited());
        for (int i = 0; i < 1000; i++) {
            assertTrue(credit.tryConsume(65535));
        }
    }

    @Test
    void liveChangeThroughput() {
        credit.start(10_000, 10_000); // 1 MB/s
        Random r = new Random(7);
        long first = saturate(5, r, 1514, 1514);
        credit.setRate(50_000, 10_000); // 5 MB/s
        long second = saturate(5, r, 1514, 1514);
        assertEquals(5e6, first, 0.01 * 5e6 + TxCredit.MIN_BURST);
        assertEquals(25e6, second, 0.01 * 25e6 + TxCredit.MIN_BURST);
    }
}
