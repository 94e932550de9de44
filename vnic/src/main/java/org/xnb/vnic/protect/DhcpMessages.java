package org.xnb.vnic.protect;

import org.agrona.DirectBuffer;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.IpHeaders;

/**
 * Finds a DHCPv4 or DHCPv6 message in an IP packet, as illumos' {@code get_dhcpv4_info} and
 * {@code get_dhcpv6_info} do. The answer is the message's offset, {@link #NOT_DHCP} (let it
 * pass: not UDP, other ports, a non-initial fragment, or too short to be a message) or
 * {@link #UNIDENTIFIABLE} (drop: the UDP header is missing, the IPv6 header chain is broken, or
 * it is the first fragment of a DHCP datagram, whose content we cannot check).
 */
final class DhcpMessages {
    static final int NOT_DHCP = -1;
    static final int UNIDENTIFIABLE = -2;
    /** The fixed part of a DHCPv4 message up to and including the magic cookie; options follow. */
    static final int V4_FIXED = 240;
    static final int V4_CHADDR = 28;
    static final int V6_HEADER = 4;

    private DhcpMessages() {
    }

    /** @param end one past the last byte of the IPv4 packet */
    static int v4(DirectBuffer b, int l3, int end) {
        long l4 = IpHeaders.ipv4(b, l3, end);
        if (l4 == IpHeaders.MALFORMED) {
            return UNIDENTIFIABLE;
        }
        if (IpHeaders.protocol(l4) != IpHeaders.PROTO_UDP || IpHeaders.laterFragment(l4)) {
            return NOT_DHCP;
        }
        return udp(b, IpHeaders.l4Offset(l4), end, IpHeaders.fragment(l4), 67, 68, V4_FIXED);
    }

    /** @param end one past the last byte of the IPv6 packet */
    static int v6(DirectBuffer b, int l3, int end) {
        long l4 = IpHeaders.ipv6(b, l3, end);
        if (l4 == IpHeaders.MALFORMED) {
            return UNIDENTIFIABLE;
        }
        if (IpHeaders.protocol(l4) != IpHeaders.PROTO_UDP || IpHeaders.laterFragment(l4)) {
            return NOT_DHCP;
        }
        return udp(b, IpHeaders.l4Offset(l4), end, IpHeaders.fragment(l4), 547, 546, V6_HEADER);
    }

    private static int udp(DirectBuffer b, int udp, int end, boolean firstFragment, int server, int client, int minimum) {
        if (end - udp < 8) {
            return UNIDENTIFIABLE;
        }
        int sport = EtherHeader.u16(b, udp);
        int dport = EtherHeader.u16(b, udp + 2);
        if (sport != server && sport != client && dport != server && dport != client) {
            return NOT_DHCP;
        }
        if (firstFragment) {
            return UNIDENTIFIABLE;
        }
        int message = udp + 8;
        return end - message < minimum ? NOT_DHCP : message;
    }

    /**
     * Finds DHCPv4 option {@code code} in the options of the message at {@code dh}; returns the
     * offset of its length byte, or -1. Each step moves forward, so the walk is bounded by the
     * frame.
     */
    static int v4Option(DirectBuffer b, int dh, int end, int code) {
        int at = dh + V4_FIXED;
        while (at < end) {
            int type = EtherHeader.u8(b, at);
            if (type == 0) { // pad
                at++;
                continue;
            }
            if (type == 255 || end - at < 2) { // end of options, or a type without a length
                return -1;
            }
            int len = EtherHeader.u8(b, at + 1);
            if (end - at - 2 < len) {
                return -1;
            }
            if (type == code && len > 0) {
                return at + 1;
            }
            at += 2 + len;
        }
        return -1;
    }

    /** Finds DHCPv6 option {@code code} (non-empty); returns the offset of its 4-byte header, or -1. */
    static int v6Option(DirectBuffer b, int dh, int end, int code) {
        int at = dh + V6_HEADER;
        while (end - at >= 4) {
            int c = EtherHeader.u16(b, at);
            int len = EtherHeader.u16(b, at + 2);
            if (len + 4 > end - at) {
                return -1;
            }
            if (c == code && len != 0) {
                return at;
            }
            at += 4 + len;
        }
        return -1;
    }
}
