package org.xnb.grant.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackRingTest {
    private static final int PAGE = RingPages.PAGE;

    @Test
    void unconsumedRequestsCountsPublishedRequests() {
        UnsafeBuffer page = RingPages.page();
        FrontRing front = FrontRing.initShared(page, 0, PAGE, 12);
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        assertEquals(0, back.unconsumedRequests());

        front.requestProducer(5);
        assertEquals(0, back.unconsumedRequests(), "not published yet");
        front.pushRequests();
        assertEquals(5, back.unconsumedRequests());
        assertEquals(5, page.getInt(REQ_PROD_OFFSET));

        assertEquals(64, back.consumeRequest());
        assertEquals(76, back.consumeRequest());
        assertEquals(2, back.requestConsumer());
        assertEquals(3, back.unconsumedRequests());
    }

    @Test
    void unconsumedRequestsIsBoundedByFreeResponseSlots() {
        UnsafeBuffer page = RingPages.pageAt(0);
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        // a frontend that claims 1000 requests on a 256-slot ring
        page.putInt(REQ_PROD_OFFSET, 1000);
        assertEquals(256, back.unconsumedRequests());
        back.requestConsumer(200); // consumed 200, answered none: 56 response slots remain
        assertEquals(56, back.unconsumedRequests());
        back.responseProducer(100);
        assertEquals(156, back.unconsumedRequests());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 0x7fff_fff0, 0xffff_fff0, 0xffff_ffff})
    void impossibleNumberOfRequestsIsDetectedAtAnyIndex(int start) {
        UnsafeBuffer page = RingPages.pageAt(start);
        BackRing back = BackRing.attach(page, 0, PAGE, 12, start);

        page.putInt(REQ_PROD_OFFSET, start + 256);
        assertFalse(back.impossibleRequestCount(start + 256));
        assertEquals(256, back.unconsumedRequestsChecked());

        page.putInt(REQ_PROD_OFFSET, start + 257);
        assertTrue(back.impossibleRequestCount(start + 257));
        RingProtocolException e = assertThrows(RingProtocolException.class, back::unconsumedRequestsChecked);
        assertEquals("impossible number of requests: req_prod " + Integer.toUnsignedString(start + 257)
                + ", req_cons " + Integer.toUnsignedString(start) + ", size 256", e.getMessage());

        // req_prod moved backwards: the difference is a huge unsigned number
        page.putInt(REQ_PROD_OFFSET, start - 1);
        assertTrue(back.impossibleRequestCount(start - 1));
        assertThrows(RingProtocolException.class, back::unconsumedRequestsChecked);
    }

    @Test
    void requestConsumerOverflowWhenEveryResponseSlotIsTaken() {
        BackRing back = BackRing.attach(RingPages.pageAt(0xffff_ff80), 0, PAGE, 12, 0xffff_ff80);
        assertFalse(back.requestConsumerOverflow(0xffff_ff80 + 255));
        assertTrue(back.requestConsumerOverflow(0xffff_ff80 + 256)); // crosses 2^32
        back.responseProducer(0xffff_ff80 + 1);
        assertFalse(back.requestConsumerOverflow(0xffff_ff80 + 256));
    }

    @Test
    void requestProducerOverflow() {
        BackRing back = BackRing.attach(RingPages.pageAt(7), 0, PAGE, 12, 7);
        assertFalse(back.requestProducerOverflow(7 + 256));
        assertTrue(back.requestProducerOverflow(7 + 257));
        assertTrue(back.requestProducerOverflow(6));
    }

    @Test
    void attachLiveResumesAtPublishedResponseProducer() {
        UnsafeBuffer page = RingPages.pageAt(0);
        page.putInt(RSP_PROD_OFFSET, 0xffff_fffe); // the previous backend answered up to here
        page.putInt(REQ_PROD_OFFSET, 3); // and the frontend queued 5 requests beyond that
        BackRing back = BackRing.attachLive(page, 0, PAGE, 12);
        assertEquals(0xffff_fffe, back.requestConsumer());
        assertEquals(0xffff_fffe, back.responseProducer());
        assertEquals(5, back.unconsumedRequests());
        assertEquals(64 + 254 * 12, back.consumeRequest());
    }

    @Test
    void attachLiveRejectsImpossibleRing() {
        UnsafeBuffer page = RingPages.pageAt(0);
        page.putInt(RSP_PROD_OFFSET, 10);
        page.putInt(REQ_PROD_OFFSET, 10 + 257);
        RingProtocolException e =
                assertThrows(RingProtocolException.class, () -> BackRing.attachLive(page, 0, PAGE, 12));
        assertEquals("cannot attach: req_prod 267 is more than 256 ahead of rsp_prod 10", e.getMessage());
    }

    @Test
    void pushResponsesPublishesPrivateProducer() {
        UnsafeBuffer page = RingPages.pageAt(0);
        BackRing back = BackRing.init(page, 0, PAGE, 8);
        back.produceResponse();
        back.produceResponse();
        assertEquals(0, page.getInt(RSP_PROD_OFFSET));
        back.pushResponses();
        assertEquals(2, page.getInt(RSP_PROD_OFFSET));
    }

    @Test
    void finalCheckReArmsRequestEventWhenIdle() {
        UnsafeBuffer page = RingPages.pageAt(0);
        FrontRing front = FrontRing.attach(page, 0, PAGE, 12, 0);
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        front.requestProducer(3);
        front.pushRequests();
        back.requestConsumer(3);
        page.putInt(REQ_EVENT_OFFSET, 1); // stale threshold from earlier

        assertFalse(back.finalCheckForRequests());
        assertEquals(4, page.getInt(REQ_EVENT_OFFSET), "req_event = req_cons + 1");

        front.requestProducer(4);
        assertTrue(front.pushRequestsAndCheckNotify(), "the next request kicks the sleeping backend");
    }

    @Test
    void finalCheckLeavesRequestEventAloneWhenWorkIsThere() {
        UnsafeBuffer page = RingPages.pageAt(0);
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        page.putInt(REQ_PROD_OFFSET, 2);
        page.putInt(REQ_EVENT_OFFSET, 77);
        assertTrue(back.finalCheckForRequests());
        assertEquals(77, page.getInt(REQ_EVENT_OFFSET));
    }

    @Test
    void finalCheckFindsRequestPublishedWhileReArming() {
        // The frontend publishes between our first look and our req_event store: it read the old
        // req_event and did not notify. Only the re-check after the fence finds the request.
        UnsafeBuffer page = new UnsafeBuffer(RingPages.pageAt(0)) {
            private boolean raced;

            @Override
            public void putIntVolatile(int index, int value) {
                if (index == REQ_EVENT_OFFSET && !raced) {
                    raced = true;
                    FrontRing racer = FrontRing.attach(this, 0, PAGE, 12, 0);
                    racer.requestProducer(1);
                    assertFalse(racer.pushRequestsAndCheckNotify(), "old req_event: no kick");
                }
                super.putIntVolatile(index, value);
            }
        };
        page.putInt(REQ_EVENT_OFFSET, 0); // backend had said "I'm polling, don't kick"
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        assertTrue(back.finalCheckForRequests(), "re-check after re-arm sees the request");
        assertEquals(1, back.unconsumedRequests());
    }

    @Test
    void responseNotifyHonoursFrontendEvent() {
        UnsafeBuffer page = RingPages.pageAt(0);
        BackRing back = BackRing.init(page, 0, PAGE, 8);
        page.putInt(RSP_EVENT_OFFSET, 3); // frontend wants a kick when response #3 (index 2) lands
        back.responseProducer(2);
        assertFalse(back.pushResponsesAndCheckNotify());
        back.responseProducer(3);
        assertTrue(back.pushResponsesAndCheckNotify());
        back.responseProducer(10);
        assertFalse(back.pushResponsesAndCheckNotify(), "frontend has not re-armed");
        assertEquals(10, page.getInt(RSP_PROD_OFFSET));
    }
}
