package org.xnb.vnic.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EtherHeaderTest {
    @Test
    void untaggedAndTagged() {
        UnsafeBuffer plain = new FrameWriter().ether(0x0102030405L, 0x00163e0000a1L, -1, 0x86DD).direct();
        long h = EtherHeader.parse(plain, 0, plain.capacity());
        assertEquals(0x86DD, EtherHeader.etherType(h));
        assertEquals(14, EtherHeader.l3Offset(h));
        assertFalse(EtherHeader.tagged(h));
        assertEquals(0x00163e0000a1L, EtherHeader.mac48(plain, EtherHeader.SOURCE_OFFSET));
        assertEquals(0x0102030405L, EtherHeader.mac48(plain, EtherHeader.DESTINATION_OFFSET));

        UnsafeBuffer tagged = new FrameWriter().ether(1, 2, 0xE123, 0x0806).direct(); // PCP 7, DEI 0, VID 0x123
        long t = EtherHeader.parse(tagged, 0, tagged.capacity());
        assertTrue(EtherHeader.tagged(t));
        assertEquals(0x123, EtherHeader.vlanId(t), "priority bits stripped");
        assertEquals(0x0806, EtherHeader.etherType(t));
        assertEquals(18, EtherHeader.l3Offset(t));
    }

    @Test
    void shortFramesAreMalformed() {
        UnsafeBuffer tagged = new FrameWriter().ether(1, 2, 5, 0x0800).direct();
        assertEquals(EtherHeader.MALFORMED, EtherHeader.parse(tagged, 0, 13));
        assertEquals(EtherHeader.MALFORMED, EtherHeader.parse(tagged, 0, 17));
        UnsafeBuffer bareTpid = new FrameWriter().ether(1, 2, -1, 0x8100).direct();
        assertEquals(EtherHeader.MALFORMED, EtherHeader.parse(bareTpid, 0, 14), "a TPID needs the 4-byte tag behind it");
    }

    @Test
    void macBytes() {
        assertEquals(0x00163e0000a1L, EtherHeader.mac48(new byte[] {0, 0x16, 0x3e, 0, 0, (byte) 0xa1}));
        assertThrows(IllegalArgumentException.class, () -> EtherHeader.mac48(new byte[5]));
    }
}
