package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {
    private static final int AT = 3; // a non-zero offset catches offset arithmetic bugs

    @Test
    void writesTheLittleEndianWireLayout() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[AT + 12]);
        VirtioNetHeader.put(b, AT, 12, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN,
                0x0042, 0x05a8, 0x0022, 0x0010, 1);
        byte[] wire = new byte[12];
        b.getBytes(AT, wire);
        assertArrayEquals(new byte[] {
            0x01, (byte) 0x81,     // flags, gso_type
            0x42, 0x00,            // hdr_len 66
            (byte) 0xa8, 0x05,     // gso_size 1448
            0x22, 0x00,            // csum_start 34
            0x10, 0x00,            // csum_offset 16 (TCP checksum field)
            0x01, 0x00             // num_buffers 1
        }, wire);
    }

    @Test
    void readsBackEveryField() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[AT + 12]);
        VirtioNetHeader.put(b, AT, 12, VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.GSO_TCPV6, 74, 1428, 54, 16, 0xffff);
        assertEquals(VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.flags(b, AT));
        assertEquals(VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoType(b, AT));
        assertEquals(VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoProtocol(b, AT));
        assertTrue(VirtioNetHeader.isGso(b, AT));
        assertEquals(74, VirtioNetHeader.hdrLen(b, AT));
        assertEquals(1428, VirtioNetHeader.gsoSize(b, AT));
        assertEquals(54, VirtioNetHeader.csumStart(b, AT));
        assertEquals(16, VirtioNetHeader.csumOffset(b, AT));
        assertEquals(0xffff, VirtioNetHeader.numBuffers(b, AT));
    }

    @Test
    void ecnBitIsNotAProtocol() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        VirtioNetHeader.gsoType(b, 0, VirtioNetHeader.GSO_ECN);
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.gsoProtocol(b, 0));
        assertFalse(VirtioNetHeader.isGso(b, 0));
        VirtioNetHeader.gsoType(b, 0, VirtioNetHeader.GSO_UDP);
        assertTrue(VirtioNetHeader.isGso(b, 0));
    }

    @Test
    void tenByteHeaderLeavesTheNextTwoBytesAlone() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        b.putShort(10, (short) 0x7777);
        VirtioNetHeader.put(b, 0, 10, 0, 0, 0, 0, 0, 0, 5);
        assertEquals(0x7777, b.getShort(10));
    }

    @Test
    void clearZeroesOnlyTheHeader() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[14]);
        b.setMemory(0, 14, (byte) 0x55);
        VirtioNetHeader.clear(b, 1, 12);
        assertEquals(0x55, b.getByte(0));
        for (int i = 1; i < 13; i++) {
            assertEquals(0, b.getByte(i), "byte " + i);
        }
        assertEquals(0x55, b.getByte(13));
    }

    @Test
    void rejectsValuesThatDoNotFitAndBadSizes() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.flags(b, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.gsoType(b, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.gsoSize(b, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.csumStart(b, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.clear(b, 0, 11));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.put(b, 0, 8, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void describesItself() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        VirtioNetHeader.put(b, 0, 12, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN,
                66, 1448, 34, 16, 1);
        assertEquals("virtio_net_hdr{flags=NEEDS_CSUM, gso=TCPV4+ECN, hdr_len=66, gso_size=1448, csum_start=34,"
                + " csum_offset=16, num_buffers=1}", VirtioNetHeader.toString(b, 0, 12));
        VirtioNetHeader.clear(b, 0, 12);
        assertEquals("virtio_net_hdr{flags=0, gso=NONE, hdr_len=0, gso_size=0, csum_start=0, csum_offset=0}",
                VirtioNetHeader.toString(b, 0, 10));
        assertEquals("7", VirtioNetHeader.gsoName(7));
    }
}
