package org.xnb.vnic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestAddressesTest {
    @Test
    void acceptsOnly198Dot18Slash15() {
        assertEquals("198.18.0.1", TestAddresses.check("198.18.0.1"));
        assertEquals("198.19.255.254/24", TestAddresses.check("198.19.255.254/24"));
        assertEquals("198.18.0.0/15", TestAddresses.check("198.18.0.0/15"));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.check("198.20.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.check("10.0.0.1/24"));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.check("198.18.0.1/14"));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.check("198.18.0.256"));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.check("fe80::1"));
    }

    @Test
    void hostBuildsAddressesInTheRange() {
        assertEquals("198.18.7.9", TestAddresses.host(7, 9));
        assertThrows(IllegalArgumentException.class, () -> TestAddresses.host(0, 255));
    }
}
