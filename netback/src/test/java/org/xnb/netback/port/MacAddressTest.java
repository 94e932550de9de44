package org.xnb.netback.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void readsBothAddressesOfAnEthernetHeaderInWireOrder() {
        UnsafeBuffer b = new UnsafeBuffer(org.agrona.BufferUtil.allocateDirectAligned(64, 64));
        byte[] header = {(byte) 0xff, (byte) 0xfe, 1, 2, 3, (byte) 0x80, 0x00, 0x16, 0x3e, 0, 5, 0, 8, 0};
        b.putBytes(0, header);
        assertEquals(0xfffe_0102_0380L, MacAddress.read(b.addressOffset(), MacAddress.DESTINATION));
        assertEquals(0x0016_3e00_0500L, MacAddress.read(b.addressOffset(), MacAddress.SOURCE));
    }

    @Test
    void parsesAndPrintsXenstoreMacs() {
        assertEquals(0x0016_3e00_0500L, MacAddress.parse("00:16:3e:00:05:00"));
        assertEquals(0x0a0b_0c0d_0e0fL, MacAddress.parse("a:b:c:d:e:f"));
        assertEquals("00:16:3e:00:05:00", MacAddress.toString(0x0016_3e00_0500L));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("00:16:3e:00:05"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("00:16:3e:00:05:xg"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("00:16:3e:00:05:100"));
    }

    @Test
    void theGroupBitIsTheLowBitOfTheFirstOctet() {
        assertTrue(MacAddress.isGroup(MacAddress.BROADCAST));
        assertTrue(MacAddress.isGroup(0x0100_5e00_0001L));
        assertTrue(MacAddress.isGroup(0x3333_0000_0001L));
        assertFalse(MacAddress.isGroup(0x0016_3e00_0500L));
        assertFalse(MacAddress.isGroup(0x0200_0000_0000L));
    }
}
