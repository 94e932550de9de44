package org.xnb.netback.xenbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

/** {@code xen_net_read_rate()}'s rules. */
class RateLimitTest {

    @Test
    void missingIsUnlimited() {
        assertTrue(RateLimit.parse(null).isUnlimited());
    }

    @Test
    void bytesCommaUsec() {
        assertEquals(new RateLimit(10_000_000, 50_000), RateLimit.parse("10000000,50000"));
        assertEquals(new RateLimit(0, 0), RateLimit.parse("0,0"));
        assertEquals(new RateLimit(-2, 1), RateLimit.parse("18446744073709551614,1"), "unsigned 64-bit");
    }

    @Test
    void malformedValuesThrowAndReadAsUnlimited() {
        for (String bad : new String[] {"", ",", "1", "1,", ",1", "1,2,3", "-1,2", "1 ,2", "a,b",
                "18446744073709551616,1", "0x10,1"}) {
            assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(bad), bad);
            assertEquals(RateLimit.UNLIMITED, RateLimit.parseOrUnlimited(bad), bad);
        }
    }

    @Test
    void anyPairOfUnsignedNumbersRoundTrips() {
        qt().forAll(longs().all(), longs().all()).checkAssert((b, u) -> assertEquals(new RateLimit(b, u),
                RateLimit.parse(Long.toUnsignedString(b) + "," + Long.toUnsignedString(u))));
    }

    @Test
    void arbitraryTextNeverEscapesAsAnotherException() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 24)).checkAssert(s -> {
            RateLimit r = RateLimit.parseOrUnlimited(s);
            assertTrue(r.isUnlimited() || s.matches("[0-9]+,[0-9]+"), s);
        });
    }
}
