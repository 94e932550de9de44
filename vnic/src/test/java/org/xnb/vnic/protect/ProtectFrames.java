package org.xnb.vnic.protect;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.frame.IpHeaders;

/** Crafted frames for the link protection tests: what a guest might send, honest or not. */
final class ProtectFrames {
    static final long GUEST_MAC = 0x00163e0000a1L;
    static final long OTHER_MAC = 0x00163e0000b2L;
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    static final int GUEST_V4 = 0xC612_0002; // 198.18.0.2
    static final int SUBNET_V4 = 0xC612_0105; // 198.18.1.5, inside 198.18.1.0/24
    static final int OTHER_V4 = 0xC612_0063; // 198.18.0.99
    static final long DOC_HI = 0x2001_0db8_0000_0000L;
    static final long LL_HI = 0xfe80_0000_0000_0000L;
    /** fe80::0216:3eff:fe00:00a1, the guest MAC's link-local interface id. */
    static final long GUEST_LL_LO = 0x0216_3eff_fe00_00a1L;

    private ProtectFrames() {
    }

    static FrameWriter ether(long src, int etherType) {
        return new FrameWriter().ether(BROADCAST, src, -1, etherType);
    }

    static UnsafeBuffer ipv4Udp(long srcMac, int src, int dst, int fragField, int sport, int dport, int payload) {
        return ether(srcMac, EtherHeader.ETHERTYPE_IPV4).ipv4(0, fragField, IpHeaders.PROTO_UDP, src, dst, 8 + payload)
                .u16(sport).u16(dport).u16(8 + payload).u16(0).zeros(payload).direct();
    }

    static UnsafeBuffer arp(long srcMac, int op, long senderMac, int senderIp, int targetIp) {
        return ether(srcMac, EtherHeader.ETHERTYPE_ARP).u16(1).u16(0x0800).u8(6).u8(4).u16(op)
                .mac(senderMac).u32(senderIp).mac(0).u32(targetIp).direct();
    }

    static UnsafeBuffer ipv6Udp(long srcHi, long srcLo, int sport, int dport) {
        return ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV6).ipv6(0, IpHeaders.PROTO_UDP, srcHi, srcLo, DOC_HI, 1, 12)
                .u16(sport).u16(dport).u16(12).u16(0).u32(0).direct();
    }

    /** A DHCPv4 message from 0.0.0.0:68 to 255.255.255.255:67 with the given chaddr and options. */
    static UnsafeBuffer dhcpv4(int fragField, int hlen, long chaddr, int... options) {
        int payload = 240 + options.length;
        FrameWriter w = ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV4)
                .ipv4(0, fragField, IpHeaders.PROTO_UDP, 0, 0xFFFF_FFFF, 8 + payload)
                .u16(68).u16(67).u16(8 + payload).u16(0)
                .u8(1).u8(1).u8(hlen).u8(0).u32(0x1234_5678).u16(0).u16(0).zeros(16)
                .mac(chaddr).zeros(10).zeros(64 + 128).u32(0x6382_5363);
        for (int o : options) {
            w.u8(o);
        }
        return w.direct();
    }

    /** A DHCPv6 message from fe80::guest:546 to ff02::1:2:547 with the given options bytes. */
    static UnsafeBuffer dhcpv6(int type, int... options) {
        int payload = 4 + options.length;
        FrameWriter w = ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_UDP, LL_HI, GUEST_LL_LO, 0xff02_0000_0000_0000L, 0x0001_0002L, 8 + payload)
                .u16(546).u16(547).u16(8 + payload).u16(0).u8(type).u8(0).u16(0x4242);
        for (int o : options) {
            w.u8(o);
        }
        return w.direct();
    }

    /** Option bytes of a DHCPv6 client id (code 1) holding a DUID of the given type and MAC. */
    static int[] clientIdV6(int duidType, long mac) {
        int header = duidType == 1 ? 8 : 4;
        int[] o = new int[4 + header + 6];
        o[1] = 1;
        o[3] = header + 6;
        o[5] = duidType;
        o[7] = 1; // hardware type Ethernet
        for (int i = 0; i < 6; i++) {
            o[4 + header + i] = (int) (mac >>> (40 - 8 * i)) & 0xFF;
        }
        return o;
    }

    /** An ICMPv6 NDP message: type, 4 bytes of flags/reserved, an optional target, then options. */
    static UnsafeBuffer ndp(long srcHi, long srcLo, int type, long targetHi, long targetLo, int... options) {
        int header = type == 133 ? 8 : type == 134 ? 16 : 24;
        FrameWriter w = ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_ICMPV6, srcHi, srcLo, 0xff02_0000_0000_0000L, 1, header + options.length)
                .u8(type).u8(0).u16(0).u32(0);
        if (type == 134) {
            w.u64(0);
        } else if (type == 135 || type == 136) {
            w.u64(targetHi).u64(targetLo);
        }
        for (int o : options) {
            w.u8(o);
        }
        return w.direct();
    }

    /** A link-layer address option (type 1 source, 2 target) carrying {@code mac}. */
    static int[] lla(int type, long mac) {
        int[] o = new int[8];
        o[0] = type;
        o[1] = 1;
        for (int i = 0; i < 6; i++) {
            o[2 + i] = (int) (mac >>> (40 - 8 * i)) & 0xFF;
        }
        return o;
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
