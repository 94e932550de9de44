package org.xnb.netback.hash;

import org.agrona.UnsafeAccess;

/**
 * Finds the fields a flow hash reads in an Ethernet frame in native memory, without allocating:
 * the IP addresses and, when there is a whole unfragmented transport header, its ports. It follows
 * what Linux's flow dissector gives {@code xenvif_set_skb_hash}: up to two VLAN tags (802.1Q or
 * 802.1ad) are skipped; IPv4 needs a version-4 header with IHL >= 5 inside the frame and its ports
 * are read after the options; any IPv4 fragment (MF or an offset) has no ports; IPv6 walks up to
 * {@link #MAX_IPV6_EXTENSIONS} hop-by-hop, routing and destination-options headers, and a
 * fragment header means no ports.
 *
 * <p>The result is one {@code long} (see the accessors): {@link #NONE}, or the family, the offset
 * of the source address and the offset of the ports (0 when there are none).
 */
public final class FlowFields {
    /** Not IPv4 or IPv6, or a header cut short: nothing to hash. */
    public static final long NONE = 0;
    public static final int IPV4 = 1;
    public static final int IPV6 = 2;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    static final int MAX_IPV6_EXTENSIONS = 8;

    private static final int ETH_HLEN = 14;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    private static final int MAX_VLAN_TAGS = 2;
    private static final int IPV6_HLEN = 40;
    private static final int NEXTHDR_HOP = 0;
    private static final int NEXTHDR_ROUTING = 43;
    private static final int NEXTHDR_FRAGMENT = 44;
    private static final int NEXTHDR_DEST = 60;

    private FlowFields() {
    }

    /**
     * Parses the frame of {@code length} bytes at {@code address}.
     *
     * @param udpPorts whether UDP ports count as ports too (the default spreading hash) or only
     *                 TCP's (the guest's Toeplitz hash types are IPv4/IPv6 and TCP only)
     */
    public static long parse(long address, int length, boolean udpPorts) {
        if (length < ETH_HLEN) {
            return NONE;
        }
        int at = 12;
        int type = be16(address, at);
        for (int tags = 0; tags < MAX_VLAN_TAGS && (type == ETH_P_8021Q || type == ETH_P_8021AD); tags++) {
            at += 4;
            if (at + 2 > length) {
                return NONE;
            }
            type = be16(address, at);
        }
        int l3 = at + 2;
        if (type == ETH_P_IP) {
            return ipv4(address, length, l3, udpPorts);
        }
        if (type == ETH_P_IPV6) {
            return ipv6(address, length, l3, udpPorts);
        }
        return NONE;
    }

    private static long ipv4(long address, int length, int l3, boolean udpPorts) {
        if (l3 + 20 > length) {
            return NONE;
        }
        int versionIhl = u8(address, l3);
        int ihl = (versionIhl & 0xf) * 4;
        if (versionIhl >>> 4 != 4 || ihl < 20 || l3 + ihl > length) {
            return NONE;
        }
        boolean fragment = (be16(address, l3 + 6) & 0x3fff) != 0; // MF or a fragment offset
        int proto = u8(address, l3 + 9);
        int l4 = l3 + ihl;
        boolean ports = !fragment && carriesPorts(proto, udpPorts) && l4 + 4 <= length;
        return pack(IPV4, l3 + 12, ports ? l4 : 0, proto);
    }

    private static long ipv6(long address, int length, int l3, boolean udpPorts) {
        if (l3 + IPV6_HLEN > length || u8(address, l3) >>> 4 != 6) {
            return NONE;
        }
        int next = u8(address, l3 + 6);
        int at = l3 + IPV6_HLEN;
        boolean fragment = false;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
            if (next == NEXTHDR_FRAGMENT) {
                fragment = true;
                break;
            }
            if (next != NEXTHDR_HOP && next != NEXTHDR_ROUTING && next != NEXTHDR_DEST) {
                break;
            }
            if (at + 8 > length) {
                return pack(IPV6, l3 + 8, 0, next);
            }
            next = u8(address, at);
            at += (u8(address, at + 1) + 1) * 8;
        }
        boolean ports = !fragment && carriesPorts(next, udpPorts) && at + 4 <= length;
        return pack(IPV6, l3 + 8, ports ? at : 0, next);
    }

    private static boolean carriesPorts(int proto, boolean udpPorts) {
        return proto == PROTO_TCP || (udpPorts && proto == PROTO_UDP);
    }

    private static long pack(int family, int addresses, int ports, int proto) {
        return family | (long) addresses << 8 | (long) ports << 24 | (long) proto << 40;
    }

    /** {@link #IPV4}, {@link #IPV6}, or 0 for {@link #NONE}. */
    public static int family(long fields) {
        return (int) fields & 0xff;
    }

    /** Offset of the source address; the destination follows it (4 or 16 bytes later). */
    public static int addressOffset(long fields) {
        return (int) (fields >>> 8) & 0xffff;
    }

    /** Offset of the source port (the destination port follows), or 0: no ports. */
    public static int portOffset(long fields) {
        return (int) (fields >>> 24) & 0xffff;
    }

    /** The transport protocol number (the last IPv6 next-header seen). */
    public static int protocol(long fields) {
        return (int) (fields >>> 40) & 0xff;
    }

    private static int u8(long address, int at) {
        return UnsafeAccess.UNSAFE.getByte(address + at) & 0xff;
    }

    private static int be16(long address, int at) {
        return u8(address, at) << 8 | u8(address, at + 1);
    }
}
