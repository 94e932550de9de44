package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FdPollerTest {
    @Test
    void rejectsEmptyNegativeAndOversizedSets() {
        assertThrows(IllegalArgumentException.class, FdPoller::new);
        assertThrows(IllegalArgumentException.class, () -> new FdPoller(3, -1));
        assertThrows(IllegalArgumentException.class, () -> new FdPoller(new int[1025]));
    }

    @Test
    void indexesAreChecked() {
        FdPoller p = new FdPoller(0);
        assertEquals(1, p.size());
        assertThrows(IndexOutOfBoundsException.class, () -> p.readable(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.failed(-1));
    }
}
