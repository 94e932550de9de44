package org.xnb.harness.netfront.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Header offsets for NEEDS_CSUM and hdr_len: IPv4 with options, IPv6, a VLAN tag, and frames it must refuse. */
class TransportOffsetsTest {
    private final TransportOffsets o = new TransportOffsets();

    @Test
    void ipv4WithOptionsAndTcpWithOptions() {
        UnsafeBuffer f = frame(0x0800, 0, 24, 6, 32);
        assertTrue(o.parse(f, 0, f.capacity()));
        assertEquals(14 + 24, o.transportStart);
        assertEquals(16, o.checksumOffset);
        assertEquals(14 + 24 + 32, o.headerLength);
        assertFalse(o.ipv6);
    }

    @Test
    void ipv6Udp() {
        UnsafeBuffer f = frame(0x86dd, 0, 40, 17, 8);
        assertTrue(o.parse(f, 0, f.capacity()));
        assertEquals(54, o.transportStart);
        assertEquals(6, o.checksumOffset);
        assertEquals(62, o.headerLength);
        assertTrue(o.ipv6);
    }

    @Test
    void vlanTaggedIpv4Tcp() {
        UnsafeBuffer f = frame(0x0800, 4, 20, 6, 20);
        assertTrue(o.parse(f, 0, f.capacity()));
        assertEquals(18 + 20, o.transportStart);
        assertEquals(18 + 40, o.headerLength);
    }

    @Test
    void refusesArpIcmpAndTruncatedFrames() {
        UnsafeBuffer arp = frame(0x0806, 0, 28, 0, 0);
        assertFalse(o.parse(arp, 0, arp.capacity()));
        UnsafeBuffer icmp = frame(0x0800, 0, 20, 1, 8);
        assertFalse(o.parse(icmp, 0, icmp.capacity()));
        UnsafeBuffer tcp = frame(0x0800, 0, 20, 6, 20);
        assertFalse(o.parse(tcp, 0, 14 + 20 + 19), "TCP header cut short");
        UnsafeBuffer badIhl = frame(0x0800, 0, 20, 6, 20);
        badIhl.putByte(14, (byte) 0x44);
        assertFalse(o.parse(badIhl, 0, badIhl.capacity()), "IHL below 5");
    }

    /** Ethernet (+ VLAN tag), an L3 header of {@code l3} bytes, an L4 header of {@code l4} bytes, 10 bytes payload. */
    private static UnsafeBuffer frame(int etherType, int vlan, int l3, int proto, int l4) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[14 + vlan + l3 + l4 + 10]);
        int at = 12;
        if (vlan > 0) {
            b.putByte(at, (byte) 0x81);
            b.putByte(at + 1, (byte) 0x00);
            at += 4;
        }
        b.putByte(at, (byte) (etherType >> 8));
        b.putByte(at + 1, (byte) etherType);
        int ip = at + 2;
        if (etherType == 0x0800) {
            b.putByte(ip, (byte) (0x40 | l3 / 4));
            b.putByte(ip + 9, (byte) proto);
        } else if (etherType == 0x86dd) {
            b.putByte(ip, (byte) 0x60);
            b.putByte(ip + 6, (byte) proto);
        }
        if (proto == 6) {
            b.putByte(ip + l3 + 12, (byte) (l4 / 4 << 4));
        }
        return b;
    }
}
