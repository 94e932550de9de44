package org.xnb.grant.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SharedRingDescriptorTest {

    @Test
    void sizesRoundDownToPowerOfTwo() {
        assertEquals(256, SharedRingDescriptor.ringSize(4096, 12)); // 336 -> 256
        assertEquals(256, SharedRingDescriptor.ringSize(4096, 8)); // 504 -> 256
        assertEquals(128, SharedRingDescriptor.ringSize(4096, 16)); // 252 -> 128
        assertEquals(32, SharedRingDescriptor.ringSize(4096, 112)); // 36 -> 32 (blkif)
        assertEquals(1, SharedRingDescriptor.ringSize(4096, 4032));
        assertEquals(512, SharedRingDescriptor.ringSize(2 * 4096, 12)); // 677 -> 512
    }

    @Test
    void ringWithoutRoomForOneEntryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SharedRingDescriptor.ringSize(4096, 4033));
        assertThrows(IllegalArgumentException.class, () -> SharedRingDescriptor.ringSize(4096, 0));
    }

    @Test
    void entryOffsetMasksFreeRunningIndex() {
        assertEquals(64, SharedRingDescriptor.entryOffset(0, 256, 12));
        assertEquals(64 + 255 * 12, SharedRingDescriptor.entryOffset(255, 256, 12));
        assertEquals(64, SharedRingDescriptor.entryOffset(256, 256, 12));
        assertEquals(64 + 255 * 12, SharedRingDescriptor.entryOffset(0xffff_ffff, 256, 12));
    }

    @Test
    void ringOutsideBufferOrMisalignedIsRejected() {
        UnsafeBuffer page = RingPages.page();
        IllegalArgumentException tooBig =
                assertThrows(IllegalArgumentException.class, () -> BackRing.init(page, 4, 4096, 12));
        assertEquals("ring [4, 4100) exceeds buffer capacity 4096", tooBig.getMessage());
        UnsafeBuffer two = new UnsafeBuffer(org.agrona.BufferUtil.allocateDirectAligned(8192, 4096));
        assertThrows(IllegalArgumentException.class, () -> BackRing.init(two, 2, 4096, 12));
        assertThrows(IllegalArgumentException.class, () -> FrontRing.initShared(page, 0, 4000, 12));
        assertEquals(4096 + 64, BackRing.init(two, 4096, 4096, 12).entryOffset(0));
    }
}
