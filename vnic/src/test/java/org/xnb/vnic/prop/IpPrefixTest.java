package org.xnb.vnic.prop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void ipv4HostAndPrefix() {
        IpPrefix host = IpPrefix.parse("198.18.0.2", "local_ip");
        assertFalse(host.isV6());
        assertEquals(32, host.prefixLength());
        assertEquals("198.18.0.2/32", host.toString());
        IpPrefix net = IpPrefix.parse("198.18.7.9/15", "local_ip");
        assertEquals("198.18.0.0/15", net.toString(), "kept masked");
        assertTrue(net.containsV4(0xC613_FFFF));
        assertFalse(net.containsV4(0xC614_0000));
    }

    @Test
    void ipv6Forms() {
        assertEquals("2001:db8::1/128", IpPrefix.parse("2001:DB8:0:0:0:0:0:1", "x").toString());
        assertEquals("::/128", IpPrefix.parse("::", "x").toString());
        assertEquals("::1/128", IpPrefix.parse("::1", "x").toString());
        assertEquals("fe80::/10", IpPrefix.parse("fe80::1234/10", "x").toString());
        assertEquals("::ffff:c612:2/128", IpPrefix.parse("::ffff:198.18.0.2", "x").toString());
        assertEquals("1:2:3:4:5:6:7:8/128", IpPrefix.parse("1:2:3:4:5:6:7:8", "x").toString());
        assertEquals("1::/128", IpPrefix.parse("1::", "x").toString());
        IpPrefix p = IpPrefix.parse("2001:db8::/32", "x");
        assertTrue(p.containsV6(0x2001_0db8_ffff_0000L, 5));
        assertFalse(p.containsV6(0x2001_0db9_0000_0000L, 0));
    }

    @Test
    void refusesBadAddressesWithTheReason() {
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04x", "a.b.c.d", "1:2:3:4:5:6:7:8:9",
            "1::2::3", ":1:2", "1:2:", "12345::", "host.example", "1.2.3.4%eth0", "fe80::1%eth0", "1.2.3.0001"}) {
            PropertyException e = assertThrows(PropertyException.class, () -> IpPrefix.parse(bad, "remote_ip"), bad);
            assertTrue(e.getMessage().startsWith("remote_ip: "), e.getMessage());
            assertTrue(e.getMessage().contains("not an IPv4 or IPv6 address"), e.getMessage());
        }
        assertTrue(assertThrows(PropertyException.class, () -> IpPrefix.parse("1.2.3.4/33", "local_ip"))
                .getMessage().contains("allowed: 1-32"));
        assertTrue(assertThrows(PropertyException.class, () -> IpPrefix.parse("1.2.3.4/0", "local_ip"))
                .getMessage().contains("allowed: 1-32"));
        assertTrue(assertThrows(PropertyException.class, () -> IpPrefix.parse("::1/129", "local_ip"))
                .getMessage().contains("allowed: 1-128"));
        assertTrue(assertThrows(PropertyException.class, () -> IpPrefix.parse("1.2.3.4/x", "local_ip"))
                .getMessage().contains("invalid prefix length"));
    }

    @Test
    void ipv6TextRoundTripsAgainstTheJdk() throws Exception {
        qt().forAll(longs().all(), longs().all(), integers().between(0, 7)).checkAssert((hi, lo, zeros) -> {
            long h = zeros >= 4 ? 0 : hi & (-1L >>> (16 * zeros));
            byte[] b = ByteBuffer.allocate(16).putLong(h).putLong(zeros >= 6 ? lo & 0xFFFF : lo).array();
            try {
                String jdk = InetAddress.getByAddress(b).getHostAddress();
                IpPrefix p = IpPrefix.parse(jdk, "x");
                ByteBuffer bb = ByteBuffer.wrap(b);
                assertEquals(bb.getLong(), p.high());
                assertEquals(bb.getLong(), p.low());
                assertEquals(p, IpPrefix.parse(p.addressText(), "x"));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
    }
}
