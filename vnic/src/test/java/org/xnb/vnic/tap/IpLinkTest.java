package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Argument checks that fail before any {@code ip} is run. */
class IpLinkTest {
    @Test
    void badArgumentsNeverReachIp() {
        IpLink link = IpLink.of("xnb0");
        assertThrows(IllegalArgumentException.class, () -> link.mtu(67));
        assertThrows(IllegalArgumentException.class, () -> link.mtu(65536));
        assertEquals("not a MAC address (aa:bb:cc:dd:ee:ff): 02:00:5e:00:01",
                assertThrows(IllegalArgumentException.class, () -> link.mac("02:00:5e:00:01")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> link.moveTo("bad name"));
        assertThrows(IllegalArgumentException.class, () -> IpLink.of(""));
        assertThrows(IllegalArgumentException.class, () -> IpLink.inNamespace("xnb0", "../etc"));
    }

    @Test
    void namesTheInterfaceAndItsNamespace() {
        assertNull(IpLink.of("xnb0").namespace());
        assertEquals("xnb0@xnb-t-1-1", IpLink.inNamespace("xnb0", "xnb-t-1-1").toString());
    }
}
