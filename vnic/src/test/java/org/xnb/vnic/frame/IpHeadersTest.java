package org.xnb.vnic.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IpHeadersTest {
    @Test
    void ipv4FragmentsAndOptions() {
        UnsafeBuffer df = new FrameWriter().ipv4(0x2e, 0x4000, 6, 1, 2, 0).direct();
        long l4 = IpHeaders.ipv4(df, 0, df.capacity());
        assertEquals(6, IpHeaders.protocol(l4));
        assertEquals(20, IpHeaders.l4Offset(l4));
        assertFalse(IpHeaders.fragment(l4), "DF alone is not a fragment");
        assertEquals(0x2e, IpHeaders.dsField(df, 0, false));
        UnsafeBuffer first = new FrameWriter().ipv4(0, 0x2000, 17, 1, 2, 0).direct();
        assertTrue(IpHeaders.fragment(IpHeaders.ipv4(first, 0, 20)));
        assertFalse(IpHeaders.laterFragment(IpHeaders.ipv4(first, 0, 20)));
        UnsafeBuffer last = new FrameWriter().ipv4(0, 0x0001, 17, 1, 2, 0).direct();
        assertTrue(IpHeaders.laterFragment(IpHeaders.ipv4(last, 0, 20)), "offset 8 without MF: the last fragment");
        UnsafeBuffer opts = new FrameWriter().u8(0x46).zeros(23).direct();
        assertEquals(24, IpHeaders.l4Offset(IpHeaders.ipv4(opts, 0, 24)));
        assertEquals(IpHeaders.MALFORMED, IpHeaders.ipv4(opts, 0, 23), "options past the end");
        assertEquals(IpHeaders.MALFORMED, IpHeaders.ipv4(new FrameWriter().u8(0x65).zeros(19).direct(), 0, 20));
    }

    @Test
    void ipv6ChainAndTrafficClass() {
        UnsafeBuffer f = new FrameWriter().ipv6(0xb8, IpHeaders.PROTO_ROUTING, 0, 1, 0, 2, 24)
                .u8(IpHeaders.PROTO_FRAGMENT).u8(1).zeros(14)
                .u8(IpHeaders.PROTO_UDP).u8(0).u16(0).u32(9).direct();
        long l4 = IpHeaders.ipv6(f, 0, f.capacity());
        assertEquals(IpHeaders.PROTO_UDP, IpHeaders.protocol(l4));
        assertEquals(40 + 16 + 8, IpHeaders.l4Offset(l4));
        assertTrue(IpHeaders.fragment(l4));
        assertFalse(IpHeaders.laterFragment(l4));
        assertEquals(0xb8, IpHeaders.dsField(f, 0, true));

        UnsafeBuffer later = new FrameWriter().ipv6(0, IpHeaders.PROTO_FRAGMENT, 0, 1, 0, 2, 8)
                .u8(IpHeaders.PROTO_TCP).u8(0).u16(0x00F0).u32(9).direct();
        long l = IpHeaders.ipv6(later, 0, later.capacity());
        assertTrue(IpHeaders.laterFragment(l));
        assertEquals(IpHeaders.PROTO_TCP, IpHeaders.protocol(l));
        assertEquals(IpHeaders.MALFORMED, IpHeaders.ipv6(later, 0, 39));
        assertEquals(IpHeaders.MALFORMED, IpHeaders.ipv6(later, 0, 44), "fragment header cut");
    }
}
