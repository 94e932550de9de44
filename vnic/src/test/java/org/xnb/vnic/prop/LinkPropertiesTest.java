package org.xnb.vnic.prop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class LinkPropertiesTest {
    private final LinkProperties base = LinkProperties.defaults(4);

    private static void assertRefused(LinkProperties p, String list, String... fragments) {
        PropertyException e = assertThrows(PropertyException.class, () -> p.setAll(list), list);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void defaults() {
        assertEquals("maxbw=-- priority=medium cpus=-- protection=-- allowed-ips=-- mtu=1500", base.toString());
        assertTrue(base.maxbw().isEmpty());
        assertTrue(base.cpus().isEmpty());
    }

    @Test
    void maxbwUnits() {
        assertEquals(100_000_000L, Bandwidth.parse("100M"));
        assertEquals(100_000_000L, Bandwidth.parse("100"), "plain number is Mbit/s");
        assertEquals(100_000_000L, Bandwidth.parse("100m"));
        assertEquals(1_500_000_000L, Bandwidth.parse("1.5G"));
        assertEquals(2_000_000L, Bandwidth.parse("2000K"));
        assertEquals(5_000_000_000L, Bandwidth.parse("5g"));
        assertEquals(1_200_000L, Bandwidth.parse("1.2"));
        assertEquals("100", Bandwidth.formatMbps(100_000_000L));
        assertEquals("1.5", Bandwidth.formatMbps(1_500_000L));
        assertEquals("1.2", base.set("maxbw", "1200K").get("maxbw"));
    }

    @Test
    void maxbwErrors() {
        assertRefused(base, "maxbw=100X", "unknown unit 'X'", "K, M or G");
        assertRefused(base, "maxbw=abc", "not a bandwidth");
        assertRefused(base, "maxbw=-5M", "not a bandwidth");
        assertRefused(base, "maxbw=", "empty value");
        assertRefused(base, "maxbw=1M", "below the minimum of 1.2M");
        assertRefused(base, "maxbw=0", "below the minimum", "reset the property");
        assertRefused(base, "maxbw=500G", "above the maximum of 400G");
        assertRefused(base, "maxbw=1e3M", "not a bandwidth");
        assertRefused(base, "maxbw=100M,200M", "takes one value");
    }

    @Test
    void priority() {
        assertEquals(Priority.HIGH, base.setAll("priority=high").priority());
        assertEquals(Priority.LOW, base.setAll("priority=LOW").priority());
        assertRefused(base, "priority=urgent", "invalid value 'urgent'", "allowed: low, medium, high");
    }

    @Test
    void cpusListsAndRanges() {
        LinkProperties p = base.setAll("cpus=0,2-3");
        assertEquals("0,2-3", p.get("cpus"));
        assertEquals(3, p.cpus().orElseThrow().size());
        assertEquals("0-3", base.setAll("cpus=3,0-2").get("cpus"));
        assertRefused(base, "cpus=4", "CPU 4 does not exist", "0-3");
        assertRefused(base, "cpus=0,1-9", "CPU 9 does not exist");
        assertRefused(base, "cpus=3-1", "runs backwards");
        assertRefused(base, "cpus=1,0-2", "CPU 1 is listed more than once");
        assertRefused(base, "cpus=a", "'a'", "not a CPU number");
        assertRefused(base, "cpus=1,,2", "not a CPU number");
    }

    @Test
    void protectionList() {
        LinkProperties p = base.setAll("protection=ip-nospoof,mac-nospoof");
        assertEquals(EnumSet.of(ProtectionType.MAC_NOSPOOF, ProtectionType.IP_NOSPOOF), p.protection());
        assertEquals("mac-nospoof,ip-nospoof", p.get("protection"));
        assertRefused(base, "protection=mac-nospoof,arp-nospoof", "unknown type 'arp-nospoof'", "restricted");
        assertRefused(base, "protection=restricted,restricted", "more than once");
    }

    @Test
    void allowedIps() {
        LinkProperties p = base.setAll("allowed-ips=198.18.0.2,198.18.1.0/24,2001:db8::/64");
        AllowedIps a = p.allowedIps();
        assertEquals(3, a.size());
        assertTrue(a.allowsV4(0xC612_0002));
        assertTrue(a.allowsV4(0xC612_01FE));
        assertTrue(!a.allowsV4(0xC612_0003));
        assertTrue(a.allowsV6(0x2001_0db8_0000_0000L, 77));
        assertEquals("198.18.0.2,198.18.1.0/24,2001:db8::/64", p.get("allowed-ips"));
        assertRefused(base, "allowed-ips=0.0.0.0", "unspecified");
        assertRefused(base, "allowed-ips=198.18.0.2,198.18.0.2", "more than once");
        assertRefused(base, "allowed-ips=::ffff:1.2.3.4", "IPv4-mapped");
        assertRefused(base, "allowed-ips=198.18.0.300", "not an IPv4 or IPv6 address");
        StringBuilder many = new StringBuilder("allowed-ips=");
        for (int i = 1; i <= 33; i++) {
            many.append(i == 1 ? "" : ",").append("198.18.0.").append(i);
        }
        assertRefused(base, many.toString(), "at most 32");
    }

    @Test
    void mtuRange() {
        assertEquals(9000, base.setAll("mtu=9000").mtu());
        assertEquals(68, base.setAll("mtu=68").mtu());
        assertRefused(base, "mtu=67", "out of range", "68-9000");
        assertRefused(base, "mtu=9001", "out of range");
        assertRefused(base, "mtu=1.5k", "not a number");
    }

    @Test
    void commaListsSplitByKnownNames() {
        LinkProperties p = base.setAll("maxbw=100M,priority=high,cpus=0,1,protection=mac-nospoof,ip-nospoof,"
                + "allowed-ips=198.18.0.2,198.18.0.3,mtu=1400");
        assertEquals(100_000_000L, p.maxbw().getAsLong());
        assertEquals("0-1", p.get("cpus"));
        assertEquals("mac-nospoof,ip-nospoof", p.get("protection"));
        assertEquals("198.18.0.2,198.18.0.3", p.get("allowed-ips"));
        assertEquals(1400, p.mtu());
        assertRefused(base, "speed=10", "unknown property 'speed'", "maxbw, priority, cpus");
        assertRefused(base, "maxbw=10M,maxbw=20M", "more than once");
        assertRefused(base, "100M", "not name=value");
    }

    @Test
    void ipv6ValuesInACommaList() {
        LinkProperties p = base.setAll("allowed-ips=2001:db8::1,fe80::/10,protection=ip-nospoof,cpus=1");
        assertEquals("2001:db8::1,fe80::/10", p.get("allowed-ips"));
        assertEquals("ip-nospoof", p.get("protection"));
        assertEquals("1", p.get("cpus"));
    }

    @Test
    void allOrNothingAndReset() {
        LinkProperties p = base.setAll("priority=high");
        assertThrows(PropertyException.class, () -> p.setAll("priority=low,mtu=1"));
        assertEquals(Priority.HIGH, p.priority(), "the earlier value stays");
        LinkProperties q = p.setAll("maxbw=10M,cpus=1").reset("maxbw").reset("priority");
        assertTrue(q.maxbw().isEmpty());
        assertEquals(Priority.MEDIUM, q.priority());
        assertEquals("1", q.get("cpus"));
        assertThrows(PropertyException.class, () -> q.reset("bogus"));
        assertEquals("low,medium,high", LinkProperties.possibleText("priority"));
        assertEquals("1500", LinkProperties.defaultText("mtu"));
    }
}
