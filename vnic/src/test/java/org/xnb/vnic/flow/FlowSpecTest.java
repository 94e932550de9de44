package org.xnb.vnic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xnb.vnic.prop.PropertyException;

/** flowadm(8)'s six combinations, its valid and invalid examples, and each attribute's errors. */
class FlowSpecTest {
    private static void refused(String attrs, String... fragments) {
        PropertyException e = assertThrows(PropertyException.class, () -> FlowSpec.parse(attrs), attrs);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void theSixCombinations() {
        assertEquals(FlowType.LOCAL_IP, FlowSpec.parse("local_ip=198.18.0.0/24").type());
        assertEquals(FlowType.REMOTE_IP, FlowSpec.parse("remote_ip=2001:db8::1").type());
        assertEquals(FlowType.TRANSPORT, FlowSpec.parse("transport=icmpv6").type());
        assertEquals(FlowType.TRANSPORT_LOCAL_PORT, FlowSpec.parse("transport=TCP,local_port=443").type());
        assertEquals(FlowType.TRANSPORT_REMOTE_PORT, FlowSpec.parse("remote_port=53,transport=udp").type());
        assertEquals(FlowType.DSFIELD, FlowSpec.parse("dsfield=0xb8:0xfc").type());
        FlowSpec s = FlowSpec.parse("transport=sctp,local_port=80");
        assertEquals(Transport.SCTP, s.transport());
        assertEquals(80, s.port());
        assertEquals("transport=sctp,local_port=80", s.toString());
        assertEquals(s, FlowSpec.parse(s.toString()));
    }

    @Test
    void showFlowColumns() {
        FlowSpec ip = FlowSpec.parse("local_ip=198.18.3.4/16");
        assertEquals("LCL:198.18.0.0/16", ip.ipaddrColumn());
        assertEquals("RMT:2001:db8::/32", FlowSpec.parse("remote_ip=2001:db8::/32").ipaddrColumn());
        FlowSpec port = FlowSpec.parse("transport=tcp,local_port=443");
        assertEquals("tcp", port.protoColumn());
        assertEquals("443", port.lportColumn());
        assertEquals("--", port.rportColumn());
        assertEquals("0x28:0xff", FlowSpec.parse("dsfield=28").dsfieldColumn(), "hex without 0x, default mask");
    }

    @Test
    void flowadmsInvalidExamples() {
        refused("local_port=25", "local_port needs transport=tcp, udp or sctp");
        refused("transport=icmpv6,local_port=16", "transport=icmpv6 has no ports", "tcp, udp or sctp");
        refused("local_port=80,local_port=8080", "local_port is given more than once");
    }

    @Test
    void combinationsOutsideTheSix() {
        refused("local_ip=198.18.0.1,remote_ip=198.18.0.2", "cannot be combined", "local_ip | remote_ip");
        refused("local_ip=198.18.0.1,transport=tcp", "cannot be combined");
        refused("transport=tcp,local_port=80,remote_port=90", "local_port and remote_port cannot be combined");
        refused("transport=tcp,local_port=80,local_ip=198.18.0.1", "cannot be combined");
        refused("dsfield=0x10,transport=udp", "cannot be combined");
        refused("remote_port=53", "remote_port needs transport");
    }

    @Test
    void attributeValueErrors() {
        refused("transport=tcpx", "'tcpx' is not supported", "tcp, udp, sctp, icmp, icmpv6");
        refused("transport=tcp,local_port=0", "0 is not a port", "1-65535");
        refused("transport=tcp,local_port=65536", "not a port");
        refused("transport=udp,remote_port=http", "'http' is not a port");
        refused("local_ip=198.18.0.1/0", "allowed: 1-32");
        refused("local_ip=0.0.0.0/8", "all zeros after masking");
        refused("remote_ip=::/1", "all zeros");
        refused("remote_ip=not-an-ip", "not an IPv4 or IPv6 address");
        refused("dsfield=0", "value 0x0 out of range", "0x01-0xff");
        refused("dsfield=0x100", "not hexadecimal");
        refused("dsfield=0x10:0", "mask 0x0 out of range");
        refused("dsfield=0xzz", "not hexadecimal");
        refused("dsfield=0x2e:0xfc", "bits outside mask 0xfc", "could never match");
        refused("vlan=5", "unknown attribute 'vlan'", "local_ip, remote_ip, transport");
        refused("", "empty attribute list");
    }

    @Test
    void flowNames() {
        assertEquals("https-1", Flow.checkName("https-1"));
        assertEquals("a.b_c", Flow.checkName("a.b_c"));
        assertThrows(PropertyException.class, () -> Flow.checkName("1flow"));
        assertThrows(PropertyException.class, () -> Flow.checkName("fl ow"));
        assertThrows(PropertyException.class, () -> Flow.checkName("x".repeat(32)));
        assertEquals(31, Flow.checkName("x".repeat(31)).length());
    }

    @Test
    void flowProperties() {
        FlowProperties p = FlowProperties.DEFAULTS.setAll("maxbw=500M,priority=high");
        assertEquals(500_000_000L, p.maxbw().getAsLong());
        assertEquals("500", p.get("maxbw"));
        assertEquals("high", p.get("priority"));
        assertEquals(FlowProperties.DEFAULTS, p.reset("maxbw").reset("priority"));
        assertThrows(PropertyException.class, () -> p.setAll("cpus=1"));
    }
}
