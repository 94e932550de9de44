package org.xnb.vnic.protect;

import org.agrona.DirectBuffer;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.IpHeaders;

/**
 * ip-nospoof, after illumos {@code ipnospoof_check}: what an IPv4, ARP or IPv6 frame may claim.
 * Where illumos reads past a broken header we refuse the frame instead (an NDP option of length
 * zero, which RFC 4861 says to discard and on which the illumos loop would not advance; an
 * option running past the packet).
 *
 * <p>Unlike illumos, addresses are never learnt from DHCP: with no allowed-ips entry of a family,
 * only the always-allowed addresses pass (0.0.0.0, ::, the MAC's link-local address).
 */
final class IpNoSpoof {
    private static final int ND_ROUTER_SOLICIT = 133;
    private static final int ND_ROUTER_ADVERT = 134;
    private static final int ND_NEIGHBOR_SOLICIT = 135;
    private static final int ND_NEIGHBOR_ADVERT = 136;
    private static final int ND_REDIRECT = 137;
    private static final int OPT_SOURCE_LINKADDR = 1;
    private static final int OPT_TARGET_LINKADDR = 2;

    private IpNoSpoof() {
    }

    static boolean allows(LinkProtection p, DirectBuffer b, int etherType, int l3, int end) {
        switch (etherType) {
            case EtherHeader.ETHERTYPE_IPV4:
                return ipv4(p, b, l3, end);
            case EtherHeader.ETHERTYPE_ARP:
                return arp(p, b, l3, end);
            case EtherHeader.ETHERTYPE_IPV6:
                return ipv6(p, b, l3, end);
            default:
                return true; // other EtherTypes are restricted's business
        }
    }

    private static boolean ipv4(LinkProtection p, DirectBuffer b, int l3, int end) {
        if (IpHeaders.ipv4(b, l3, end) == IpHeaders.MALFORMED) {
            return false;
        }
        if (!p.allowsV4(EtherHeader.i32(b, l3 + 12))) {
            return false;
        }
        // illumos: "ip_nospoof/allowed-ips and DHCP are mutually exclusive by default"
        return !(p.allowedV4Set() && DhcpMessages.v4(b, l3, IpHeaders.ipv4End(b, l3, end)) >= 0);
    }

    private static boolean arp(LinkProtection p, DirectBuffer b, int l3, int end) {
        if (end - l3 < 8) {
            return false;
        }
        int hlen = EtherHeader.u8(b, l3 + 4);
        int plen = EtherHeader.u8(b, l3 + 5);
        if (hlen != 0 && hlen != 6 || plen != 4 || end - l3 < 8 + 2 * hlen + 2 * plen) {
            return false;
        }
        int sender = l3 + 8;
        if (hlen != 0 && EtherHeader.mac48(b, sender) != p.mac()) {
            return false;
        }
        return p.allowsV4(EtherHeader.i32(b, sender + hlen));
    }

    private static boolean ipv6(LinkProtection p, DirectBuffer b, int l3, int end) {
        if (end - l3 < IpHeaders.IPV6_HEADER || (EtherHeader.u8(b, l3) >>> 4) != 6) {
            return false;
        }
        if (!p.allowsV6(EtherHeader.i64(b, l3 + 8), EtherHeader.i64(b, l3 + 16))) {
            return false;
        }
        int packetEnd = IpHeaders.ipv6End(b, l3, end);
        if (EtherHeader.u8(b, l3 + 6) == IpHeaders.PROTO_ICMPV6 && !ndp(p, b, l3 + IpHeaders.IPV6_HEADER, packetEnd)) {
            return false;
        }
        return !(p.allowedV6Set() && DhcpMessages.v6(b, l3, packetEnd) >= 0);
    }

    /** NDP right behind the IPv6 header (NDP has no extension headers). */
    private static boolean ndp(LinkProtection p, DirectBuffer b, int icmp, int end) {
        if (end - icmp < 8) {
            return false; // ICMPv6 header missing
        }
        int type = EtherHeader.u8(b, icmp);
        int headerLength;
        switch (type) {
            case ND_ROUTER_SOLICIT -> headerLength = 8;
            case ND_ROUTER_ADVERT -> headerLength = 16;
            case ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT -> headerLength = 24;
            case ND_REDIRECT -> headerLength = 40;
            default -> {
                return true;
            }
        }
        if (end - icmp < headerLength) {
            return false;
        }
        int wanted = OPT_SOURCE_LINKADDR;
        if (type == ND_NEIGHBOR_ADVERT) {
            if (!p.allowsV6(EtherHeader.i64(b, icmp + 8), EtherHeader.i64(b, icmp + 16))) {
                return false; // advertising an address that is not ours
            }
            wanted = OPT_TARGET_LINKADDR;
        } else if (type == ND_REDIRECT) {
            return true;
        }
        int at = icmp + headerLength;
        while (end - at > 2) {
            int optType = EtherHeader.u8(b, at);
            int units = EtherHeader.u8(b, at + 1);
            if (units == 0) {
                return false;
            }
            if (optType == wanted) {
                return units == 1 && end - at >= 8 && EtherHeader.mac48(b, at + 2) == p.mac();
            }
            at += 8 * units;
        }
        return true; // no link-layer address option
    }
}
