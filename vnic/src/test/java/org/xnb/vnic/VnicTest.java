package org.xnb.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VnicTest {
    @Test
    void macAddressesParseAndFormat() {
        assertEquals(0x00163e0a0b0cL, MacAddress.parse("00:16:3E:0a:0b:0c"));
        assertEquals(0x00163e0a0b0cL, MacAddress.parse("0-16-3e-a-b-c"));
        assertEquals("00:16:3e:0a:0b:0c", MacAddress.format(0x00163e0a0b0cL));
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.format(MacAddress.BROADCAST));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, 0x16, 0x3e, 0x0a, 0x0b, (byte) 0xfc},
                MacAddress.toBytes(MacAddress.parse("00:16:3e:0a:0b:fc")));
        assertTrue(MacAddress.isMulticast(MacAddress.parse("01:00:5e:00:00:01")));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertFalse(MacAddress.isMulticast(0x00163e000001L));
        for (String bad : new String[] {"00:16:3e:0a:0b", "00:16:3e:0a:0b:0c:0d", "00:16:3e:0a:0b:zz", "00:16:3e:0a:0b:123",
            "00:16:3e:0a::0c"}) {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
    }

    @Test
    void aRandomMacHasXensPrefixAndIsUnicast() {
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            Vnic v = Vnic.withRandomMac("vnic0", Vnic.NO_VLAN, "stub0", r);
            assertEquals(MacAddress.XEN_OUI, v.mac() & 0xffffff000000L);
            assertTrue(MacAddress.format(v.mac()).startsWith("00:16:3e:"));
            assertFalse(MacAddress.isMulticast(v.mac()));
        }
    }

    @Test
    void aVnicChecksWhatItIsGiven() {
        Vnic v = new Vnic("guest1_0", 0x00163e000001L, 12, "xnb0");
        assertTrue(v.hasVlan());
        assertEquals("guest1_0 (00:16:3e:00:00:01, vlan 12, over xnb0)", v.toString());
        assertFalse(new Vnic("g", 0x00163e000001L, Vnic.NO_VLAN, "stub0").hasVlan());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Vnic("g", MacAddress.parse("01:00:5e:00:00:01"), 0, "stub0"));
        assertTrue(e.getMessage().contains("multicast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g", 0, 0, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g", 1L << 48, 0, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g", 0x00163e000001L, 4095, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g", 0x00163e000001L, -1, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("0g", 0x00163e000001L, 0, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g g", 0x00163e000001L, 0, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g".repeat(32), 0x00163e000001L, 0, "stub0"));
        assertThrows(IllegalArgumentException.class, () -> new Vnic("g", 0x00163e000001L, 0, ""));
    }
}
