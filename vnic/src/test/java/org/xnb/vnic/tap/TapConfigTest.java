package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapConfigTest {
    @Test
    void defaultsAreOneKernelNamedQueueWithTheV1HeaderAndNoOffloads() {
        TapConfig c = TapConfig.builder().build();
        assertEquals("", c.name());
        assertEquals(1, c.queues());
        assertFalse(c.multiQueue());
        assertEquals(12, c.vnetHeaderSize());
        assertEquals(0, c.offloads());
        assertFalse(c.persistent());
        assertEquals(IfTun.IFF_TAP | IfTun.IFF_NO_PI | IfTun.IFF_VNET_HDR, c.iffFlags());
        assertEquals(0x5002, c.iffFlags());
    }

    @Test
    void moreThanOneQueueMeansMultiQueue() {
        TapConfig c = TapConfig.builder().queues(4).build();
        assertTrue(c.multiQueue());
        assertEquals(0x5102, c.iffFlags());
        assertTrue(TapConfig.builder().multiQueue(true).build().multiQueue());
    }

    @Test
    void standardOffloadsAreChecksumAndTso() {
        assertEquals(IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6,
                TapConfig.builder().standardOffloads(true).build().offloads());
        assertEquals(0, TapConfig.builder().standardOffloads(false).build().offloads());
    }

    @Test
    void rejectsWhatTheKernelWouldRejectWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TapConfig.builder().name("sixteen-chars-xx"));
        assertEquals("interface name 'sixteen-chars-xx' is longer than 15 characters", e.getMessage());
        assertEquals("fifteen-chars-x", TapConfig.builder().name("fifteen-chars-x").build().name());
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().name("a/b"));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().name("a b"));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().name(".."));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().name(null));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().queues(0));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().queues(257));
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().vnetHeaderSize(20));
        assertEquals("TSO/UFO offloads need TUN_F_CSUM too", assertThrows(IllegalArgumentException.class,
                () -> TapConfig.builder().offloads(IfTun.TUN_F_TSO4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TapConfig.builder().offloads(0x100));
    }

    @Test
    void kernelNamePatternIsAllowed() {
        assertEquals("xnb%d", TapConfig.builder().name("xnb%d").build().name());
    }
}
