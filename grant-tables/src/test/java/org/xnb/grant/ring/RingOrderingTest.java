package org.xnb.grant.ring;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;

/**
 * The order of memory operations, checked on a mock buffer in the style of Agrona's ring buffer
 * tests: entries before the release store of the producer index, the producer-index store before
 * the event read (and as a volatile store, which is what makes it a full fence), the consumer's
 * index read before the entry reads.
 */
class RingOrderingTest {
    private AtomicBuffer buffer;

    @BeforeEach
    void mockPage() {
        buffer = mock(AtomicBuffer.class);
        when(buffer.capacity()).thenReturn(RingPages.PAGE);
    }

    @Test
    void pushResponsesAndCheckNotifyWritesEntriesThenVolatileIndexThenReadsEvent() {
        BackRing back = BackRing.init(buffer, 0, RingPages.PAGE, 12);
        when(buffer.getInt(RSP_PROD_OFFSET)).thenReturn(0);
        when(buffer.getIntVolatile(RSP_EVENT_OFFSET)).thenReturn(2);

        TxResponse.write(buffer, back.produceResponse(), 7, 0);
        TxResponse.write(buffer, back.produceResponse(), 8, -1);
        assertTrue(back.pushResponsesAndCheckNotify());

        InOrder order = inOrder(buffer);
        order.verify(buffer).putInt(64, 7, LITTLE_ENDIAN);
        order.verify(buffer).putInt(76, 8 | 0xffff_0000, LITTLE_ENDIAN);
        order.verify(buffer).putIntVolatile(RSP_PROD_OFFSET, 2);
        order.verify(buffer).getIntVolatile(RSP_EVENT_OFFSET);
        verify(buffer, never()).putIntOrdered(eq(RSP_PROD_OFFSET), anyInt());
        verify(buffer, never()).putInt(eq(RSP_PROD_OFFSET), anyInt());
    }

    @Test
    void pushResponsesIsReleaseStoreAfterEntries() {
        BackRing back = BackRing.init(buffer, 0, RingPages.PAGE, 12);
        TxResponse.write(buffer, back.produceResponse(), 1, 0);
        back.pushResponses();

        InOrder order = inOrder(buffer);
        order.verify(buffer).putInt(64, 1, LITTLE_ENDIAN);
        order.verify(buffer).putIntOrdered(RSP_PROD_OFFSET, 1);
        verify(buffer, never()).getIntVolatile(RSP_EVENT_OFFSET);
    }

    @Test
    void consumerReadsIndexWithAcquireBeforeCopyingTheEntry() {
        when(buffer.getIntVolatile(REQ_PROD_OFFSET)).thenReturn(1);
        BackRing back = BackRing.init(buffer, 0, RingPages.PAGE, 12);
        TxRequest request = new TxRequest();

        assertEquals(1, back.unconsumedRequests());
        request.readFrom(buffer, back.consumeRequest());

        InOrder order = inOrder(buffer);
        order.verify(buffer).getIntVolatile(REQ_PROD_OFFSET);
        order.verify(buffer).getLong(64, LITTLE_ENDIAN);
        order.verify(buffer).getInt(72, LITTLE_ENDIAN);
        verify(buffer).capacity();
        verify(buffer).byteArray();
        verify(buffer).addressOffset();
        verifyNoMoreInteractions(buffer); // one copy: no second read of the slot
    }

    @Test
    void finalCheckForRequestsStoresEventWithFenceThenReReadsProducer() {
        BackRing back = BackRing.init(buffer, 0, RingPages.PAGE, 12);
        assertFalse(back.finalCheckForRequests());

        InOrder order = inOrder(buffer);
        order.verify(buffer).getIntVolatile(REQ_PROD_OFFSET);
        order.verify(buffer).putIntVolatile(REQ_EVENT_OFFSET, 1);
        order.verify(buffer).getIntVolatile(REQ_PROD_OFFSET);
    }

    @Test
    void pushRequestsAndCheckNotifyWritesEntriesThenVolatileIndexThenReadsEvent() {
        FrontRing front = FrontRing.attach(buffer, 0, RingPages.PAGE, 8, 0);
        when(buffer.getIntVolatile(REQ_EVENT_OFFSET)).thenReturn(1);
        buffer.putLong(front.produceRequest(), 42L, LITTLE_ENDIAN);
        assertTrue(front.pushRequestsAndCheckNotify());

        InOrder order = inOrder(buffer);
        order.verify(buffer).putLong(64, 42L, LITTLE_ENDIAN);
        order.verify(buffer).putIntVolatile(REQ_PROD_OFFSET, 1);
        order.verify(buffer).getIntVolatile(REQ_EVENT_OFFSET);
    }

    @Test
    void finalCheckForResponsesStoresEventWithFenceThenReReadsProducer() {
        FrontRing front = FrontRing.attach(buffer, 0, RingPages.PAGE, 8, 5);
        when(buffer.getIntVolatile(RSP_PROD_OFFSET)).thenReturn(5);
        assertFalse(front.finalCheckForResponses());

        InOrder order = inOrder(buffer);
        order.verify(buffer).getIntVolatile(RSP_PROD_OFFSET);
        order.verify(buffer).putIntVolatile(RSP_EVENT_OFFSET, 6);
        order.verify(buffer).getIntVolatile(RSP_PROD_OFFSET);
    }
}
