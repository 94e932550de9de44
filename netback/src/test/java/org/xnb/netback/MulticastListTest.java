package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MulticastListTest {
    private final MulticastList list = new MulticastList();

    @Test
    void addressAddedTwiceIsListedTwiceAndRemovedOneCopyAtATime() {
        long mac = 0x3333_0000_0001L;
        assertTrue(list.add(mac));
        assertTrue(list.add(mac));
        assertEquals(2, list.size());
        list.remove(mac);
        assertTrue(list.contains(mac));
        list.remove(mac);
        assertFalse(list.contains(mac));
        list.remove(mac); // unknown: ignored
        assertEquals(0, list.size());
    }

    @Test
    void holdsAtMostSixtyFourAddresses() {
        for (int i = 0; i < MulticastList.MAX; i++) {
            assertTrue(list.add(0x0100_5e00_0000L + i));
        }
        assertFalse(list.add(0x0100_5e00_1000L));
        list.remove(0x0100_5e00_0005L);
        assertTrue(list.add(0x0100_5e00_1000L));
        assertTrue(list.contains(0x0100_5e00_003fL));
        list.clear();
        assertEquals(0, list.size());
    }

    @Test
    void onlyTheLow48BitsAreAnAddress() {
        list.add(0xffff_0100_5e00_0001L);
        assertTrue(list.contains(0x0100_5e00_0001L));
    }
}
