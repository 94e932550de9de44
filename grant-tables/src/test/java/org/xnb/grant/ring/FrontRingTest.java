package org.xnb.grant.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrontRingTest {
    private static final int PAGE = RingPages.PAGE;

    @Test
    void initSharedWritesSharedRingInitAndLeavesEntriesAlone() {
        UnsafeBuffer page = RingPages.page();
        page.setMemory(0, PAGE, (byte) 0xAA);
        FrontRing front = FrontRing.initShared(page, 0, PAGE, 16);
        assertEquals(0, page.getInt(REQ_PROD_OFFSET));
        assertEquals(1, page.getInt(REQ_EVENT_OFFSET));
        assertEquals(0, page.getInt(RSP_PROD_OFFSET));
        assertEquals(1, page.getInt(RSP_EVENT_OFFSET));
        for (int i = 16; i < 64; i++) {
            assertEquals(0, page.getByte(i), "pvt/pad byte " + i);
        }
        assertEquals((byte) 0xAA, page.getByte(64));
        assertEquals((byte) 0xAA, page.getByte(PAGE - 1));
        assertEquals(128, front.size());
        assertEquals(128, front.freeRequests());
    }

    @Test
    void freeRequestsAndFull() {
        UnsafeBuffer page = RingPages.page();
        FrontRing front = FrontRing.initShared(page, 0, PAGE, 8);
        for (int i = 0; i < 255; i++) {
            front.produceRequest();
        }
        assertEquals(1, front.freeRequests());
        assertFalse(front.full());
        assertEquals(64 + 255 * 8, front.produceRequest());
        assertTrue(front.full());
        front.responseConsumer(10);
        assertEquals(10, front.freeRequests());
    }

    @Test
    void freeRequestsAcrossWrap() {
        int start = 0xffff_fff0;
        FrontRing front = FrontRing.attach(RingPages.pageAt(start), 0, PAGE, 12, start);
        front.requestProducer(start + 100); // wraps past 2^32
        assertEquals(156, front.freeRequests());
        front.responseConsumer(start + 40);
        assertEquals(196, front.freeRequests());
    }

    @Test
    void responsesBecomeVisibleOnlyWhenPushed() {
        UnsafeBuffer page = RingPages.page();
        FrontRing front = FrontRing.initShared(page, 0, PAGE, 12);
        BackRing back = BackRing.init(page, 0, PAGE, 12);
        back.produceResponse();
        assertEquals(0, front.unconsumedResponses());
        assertTrue(back.pushResponsesAndCheckNotify(), "rsp_event starts at 1: first response notifies");
        assertEquals(1, front.unconsumedResponses());
        assertEquals(64, front.consumeResponse());
        assertEquals(0, front.unconsumedResponses());
    }

    @Test
    void responseProducerOverflow() {
        FrontRing front = FrontRing.attach(RingPages.pageAt(5), 0, PAGE, 12, 5);
        assertFalse(front.responseProducerOverflow(5 + 256));
        assertTrue(front.responseProducerOverflow(5 + 257));
        assertTrue(front.responseProducerOverflow(4));
    }

    @Test
    void finalCheckForResponsesReArms() {
        UnsafeBuffer page = RingPages.pageAt(0xffff_ffff);
        FrontRing front = FrontRing.attach(page, 0, PAGE, 12, 0xffff_ffff);
        BackRing back = BackRing.attach(page, 0, PAGE, 12, 0xffff_ffff);
        page.putInt(RSP_EVENT_OFFSET, 0x1234);
        assertFalse(front.finalCheckForResponses());
        assertEquals(0, page.getInt(RSP_EVENT_OFFSET), "rsp_cons + 1 wraps to 0");
        back.produceResponse();
        assertTrue(back.pushResponsesAndCheckNotify());
        assertTrue(front.finalCheckForResponses());
    }
}
