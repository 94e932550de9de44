package org.xnb.grant.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The notify decision of {@code RING_PUSH_*_AND_CHECK_NOTIFY}: notify iff the consumer's event
 * threshold lies in {@code (old, new]}, computed with unsigned wrap-around.
 */
class NotifyDecisionTest {

    @ParameterizedTest(name = "old={0} new={1} event={2} -> {3}")
    @CsvSource({
        // event inside (old, new]
        "0, 1, 1, true",
        "0, 5, 3, true",
        "0, 5, 5, true",
        "10, 20, 11, true",
        // event at old: the consumer already saw old, nothing new to announce to it
        "10, 20, 10, false",
        // event behind old: consumer has not re-armed (it is polling)
        "10, 20, 2, false",
        // event beyond new: consumer wants to hear only later
        "10, 20, 21, false",
        "10, 20, 4000000000, false",
        // nothing pushed
        "7, 7, 7, false",
        "7, 7, 8, false",
        // across 2^32
        "4294967294, 2, 4294967295, true",
        "4294967294, 2, 0, true",
        "4294967294, 2, 2, true",
        "4294967294, 2, 3, false",
        "4294967294, 2, 4294967294, false",
        "4294967295, 0, 0, true",
    })
    void notifyIffEventInPublishedRange(long old, long now, long event, boolean expected) {
        UnsafeBuffer page = RingPages.pageAt(0);
        page.putInt(RSP_PROD_OFFSET, (int) old);
        page.putInt(RSP_EVENT_OFFSET, (int) event);
        BackRing back = BackRing.attach(page, 0, RingPages.PAGE, 12, (int) old);
        back.responseProducer((int) now);
        assertEquals(expected, back.pushResponsesAndCheckNotify(), "responses");
        assertEquals((int) now, page.getInt(RSP_PROD_OFFSET));

        page.putInt(REQ_PROD_OFFSET, (int) old);
        page.putInt(REQ_EVENT_OFFSET, (int) event);
        FrontRing front = FrontRing.attach(page, 0, RingPages.PAGE, 12, (int) old);
        front.requestProducer((int) now);
        assertEquals(expected, front.pushRequestsAndCheckNotify(), "requests");
        assertEquals((int) now, page.getInt(REQ_PROD_OFFSET));
    }

    /**
     * The guest owns the page and may rewrite {@code rsp_prod}; the backend's decision to kick
     * must rest on what it published itself, not on the page (a guest must not be able to make
     * us skip the kick it asked for, nor to stop us noticing that it asked).
     */
    @Test
    void aGuestRewritingRspProdDoesNotChangeTheNotifyDecision() {
        UnsafeBuffer page = RingPages.pageAt(0);
        BackRing back = BackRing.init(page, 0, RingPages.PAGE, 12);
        back.responseProducer(4);
        page.putInt(RSP_EVENT_OFFSET, 1);
        assertEquals(true, back.pushResponsesAndCheckNotify(), "event 1 lies in (0, 4]");

        page.putInt(RSP_EVENT_OFFSET, 6);           // "wake me at response 6"
        page.putInt(RSP_PROD_OFFSET, 8);            // ... and rsp_prod already set to what comes next
        back.responseProducer(8);
        assertEquals(true, back.pushResponsesAndCheckNotify(), "event 6 lies in (4, 8] whatever the page says");
        assertEquals(8, page.getInt(RSP_PROD_OFFSET));

        page.putInt(RSP_EVENT_OFFSET, 20);
        page.putInt(RSP_PROD_OFFSET, 0);            // would make (0, 10] look like the new range
        back.responseProducer(10);
        assertEquals(false, back.pushResponsesAndCheckNotify(), "event 20 is not in (8, 10]");
    }
}
