package org.xnb.grant.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.mockito.Mockito;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.XenPage;

class XenGrantTableTest {
    private static final long HANDLE = 0x1234L;
    private final GnttabNative lib = mock(GnttabNative.class);
    private final XenGrantTable table = new XenGrantTable(lib, HANDLE);
    /** A real page of memory standing in for what gntdev would have mapped. */
    private final UnsafeBuffer fakeRegion = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(2 * XenPage.SIZE));

    @Test
    void writableMapPassesReadWriteProtAndTheRefs() {
        int[] refs = {8, 9, 77};
        when(lib.mapDomainGrantRefs(HANDLE, 2, 5, refs, LibC.PROT_READ | LibC.PROT_WRITE))
                .thenReturn(fakeRegion.addressOffset());

        GrantMapping m = table.map(5, refs, 2, true);

        assertEquals(5, m.domid());
        assertEquals(2, m.pages());
        assertTrue(m.writable());
        assertEquals(fakeRegion.addressOffset(), m.address());
        assertEquals(2 * XenPage.SIZE, m.buffer().capacity());
        m.buffer().putInt(XenPage.SIZE, 0xcafe);
        assertEquals(0xcafe, fakeRegion.getInt(XenPage.SIZE));
    }

    @Test
    void readOnlyMapPassesProtReadOnly() {
        int[] refs = {8};
        when(lib.mapDomainGrantRefs(HANDLE, 1, 3, refs, LibC.PROT_READ)).thenReturn(fakeRegion.addressOffset());

        GrantMapping m = table.map(3, refs, 1, false);

        assertEquals(false, m.writable());
        verify(lib).mapDomainGrantRefs(HANDLE, 1, 3, refs, LibC.PROT_READ);
    }

    @Test
    void failedMapBecomesGrantExceptionWithTheErrno() {
        when(lib.mapDomainGrantRefs(anyLong(), anyInt(), anyInt(), Mockito.any(), anyInt())).thenReturn(0L);
        when(lib.errno()).thenReturn(Errno.EINVAL);

        GrantException e = assertThrows(GrantException.class, () -> table.map(7, new int[] {8, 9}, 2, true));

        assertEquals(GrantStatus.GENERAL_ERROR, e.status());
        assertTrue(e.getMessage().contains("domain 7"), e.getMessage());
        assertTrue(e.getMessage().contains("EINVAL (22)"), e.getMessage());
    }

    @Test
    void mapRejectsACountLargerThanTheRefs() {
        assertThrows(IllegalArgumentException.class, () -> table.map(1, new int[] {8}, 2, false));
        verify(lib, never()).mapDomainGrantRefs(anyLong(), anyInt(), anyInt(), Mockito.any(), anyInt());
    }

    @Test
    void unmapPassesAddressAndPageCountOnceAndShrinksTheView() {
        int[] refs = {8, 9};
        when(lib.mapDomainGrantRefs(HANDLE, 2, 5, refs, LibC.PROT_READ)).thenReturn(fakeRegion.addressOffset());
        GrantMapping m = table.map(5, refs, 2, false);

        m.close();
        m.close();

        verify(lib).unmap(HANDLE, fakeRegion.addressOffset(), 2);
        assertEquals(0, m.buffer().capacity());
    }

    @Test
    void failedUnmapReportsTheErrno() {
        when(lib.mapDomainGrantRefs(anyLong(), anyInt(), anyInt(), Mockito.any(), anyInt()))
                .thenReturn(fakeRegion.addressOffset());
        when(lib.unmap(anyLong(), anyLong(), anyInt())).thenReturn(-1);
        when(lib.errno()).thenReturn(Errno.EINVAL);
        GrantMapping m = table.map(5, new int[] {8}, 1, false);

        GrantException e = assertThrows(GrantException.class, m::close);
        assertTrue(e.getMessage().contains("xengnttab_unmap"), e.getMessage());
    }

    @Test
    void closeUnmapsEveryLiveRegionEvenWhenOneFailsThenClosesTheHandle() {
        long a = fakeRegion.addressOffset();
        long b = a + XenPage.SIZE;
        when(lib.mapDomainGrantRefs(anyLong(), anyInt(), eq(1), Mockito.any(), anyInt())).thenReturn(a);
        when(lib.mapDomainGrantRefs(anyLong(), anyInt(), eq(2), Mockito.any(), anyInt())).thenReturn(b);
        when(lib.unmap(HANDLE, a, 1)).thenReturn(-1);
        when(lib.unmap(HANDLE, b, 1)).thenReturn(0);
        when(lib.errno()).thenReturn(Errno.EINVAL);
        table.map(1, new int[] {8}, 1, false);
        table.map(2, new int[] {8}, 1, false);

        assertThrows(GrantException.class, table::close);

        InOrder order = Mockito.inOrder(lib);
        order.verify(lib).unmap(HANDLE, a, 1);
        order.verify(lib).unmap(HANDLE, b, 1);
        order.verify(lib).close(HANDLE);
        assertThrows(IllegalStateException.class, () -> table.map(1, new int[] {8}, 1, false));
    }

    @Test
    void copyHandsTheBatchAddressAndSegmentCountUnchangedAndCountsFailures() {
        GrantCopyBatch batch = new GrantCopyBatch(8);
        batch.addFromGuest(5, 8, 0, fakeRegion.addressOffset(), 64);
        batch.addFromGuest(5, 9, 100, fakeRegion.addressOffset() + 64, 1500);
        batch.addToGuest(fakeRegion.addressOffset(), 5, 10, 0, 4096);
        when(lib.grantCopy(HANDLE, 3, batch.address())).thenAnswer(inv -> {
            // what the kernel does: a status per segment, in place
            UnsafeBuffer segs = new UnsafeBuffer(batch.address(), 3 * GrantCopyBatch.SEGMENT_SIZE);
            segs.putShort(0 * GrantCopyBatch.SEGMENT_SIZE + GrantCopyBatch.STATUS_OFFSET, (short) GrantStatus.OKAY);
            segs.putShort(1 * GrantCopyBatch.SEGMENT_SIZE + GrantCopyBatch.STATUS_OFFSET,
                    (short) GrantStatus.BAD_GNTREF);
            segs.putShort(2 * GrantCopyBatch.SEGMENT_SIZE + GrantCopyBatch.STATUS_OFFSET, (short) GrantStatus.OKAY);
            return 0;
        });

        assertEquals(1, table.copy(batch));
        assertEquals(GrantStatus.BAD_GNTREF, batch.status(1));
    }

    @Test
    void copyThatStopsPartWayLeavesUnreachedSegmentsFailed() {
        GrantCopyBatch batch = new GrantCopyBatch(4);
        batch.addFromGuest(5, 8, 0, fakeRegion.addressOffset(), 64);
        batch.addFromGuest(5, 9, 0, fakeRegion.addressOffset(), 64);
        when(lib.grantCopy(HANDLE, 2, batch.address())).thenAnswer(inv -> {
            new UnsafeBuffer(batch.address(), GrantCopyBatch.SEGMENT_SIZE)
                    .putShort(GrantCopyBatch.STATUS_OFFSET, (short) GrantStatus.OKAY);
            return -1;
        });

        assertEquals(1, table.copy(batch));
        assertEquals(GrantStatus.GENERAL_ERROR, batch.status(1));
    }

    @Test
    void emptyBatchMakesNoCall() {
        assertEquals(0, table.copy(new GrantCopyBatch(1)));
        verify(lib, never()).grantCopy(anyLong(), anyInt(), anyLong());
    }
}
