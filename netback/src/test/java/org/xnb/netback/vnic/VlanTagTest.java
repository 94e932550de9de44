package org.xnb.netback.vnic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** 802.1Q tags put in and taken out in place, byte for byte. */
class VlanTagTest {
    private static final byte[] FRAME = {
        1, 2, 3, 4, 5, 6, 0x00, 0x16, 0x3e, 0, 0, 0x42, // dst, src
        0x08, 0x00, 0x45, 0, 0, 20};                     // IPv4, a bit of header

    @Test
    void aTagGoesInBeforeTheEtherTypeAndComesOutAgain() {
        UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        b.putBytes(12, FRAME);
        long at = b.addressOffset() + 12;
        long tagged = VlanTag.insert(at, 0x123);
        assertEquals(at - 4, tagged);
        byte[] got = new byte[FRAME.length + 4];
        b.getBytes(8, got);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 0x00, 0x16, 0x3e, 0, 0, 0x42, (byte) 0x81, 0x00, 0x01, 0x23,
            0x08, 0x00, 0x45, 0, 0, 20}, got);
        assertTrue(VlanTag.carries(tagged, got.length, 0x123));
        assertFalse(VlanTag.carries(tagged, got.length, 0x124));
        assertFalse(VlanTag.carries(at, FRAME.length, 0x123), "untagged");
        assertFalse(VlanTag.carries(tagged, 17, 0x123), "too short to hold a tag and a type");

        long untagged = VlanTag.remove(tagged);
        assertEquals(at, untagged);
        byte[] back = new byte[FRAME.length];
        b.getBytes(12, back);
        assertArrayEquals(FRAME, back);
    }
}
