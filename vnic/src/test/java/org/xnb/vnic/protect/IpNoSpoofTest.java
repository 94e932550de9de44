package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xnb.vnic.protect.ProtectFrames.DOC_HI;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_LL_LO;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_MAC;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_V4;
import static org.xnb.vnic.protect.ProtectFrames.LL_HI;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_MAC;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_V4;
import static org.xnb.vnic.protect.ProtectFrames.SUBNET_V4;
import static org.xnb.vnic.protect.ProtectFrames.concat;
import static org.xnb.vnic.protect.ProtectFrames.lla;
import static org.xnb.vnic.protect.ProtectFrames.ndp;
import static org.xnb.vnic.protect.ProtectionVerdict.IP_SPOOFED;
import static org.xnb.vnic.protect.ProtectionVerdict.PASS;

import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;

/** ip-nospoof: IPv4 and IPv6 sources, ARP, NDP, DHCP with allowed-ips. */
class IpNoSpoofTest extends ProtectionTestSupport {
    private final LinkProtection p = vnic("protection=ip-nospoof,allowed-ips=198.18.0.2,198.18.1.0/24,2001:db8::2");

    @Test
    void ipv4Sources() {
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 1, 2, 0), "allowed host");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, SUBNET_V4, 1, 0, 1, 2, 0), "inside allowed subnet");
        expect(IP_SPOOFED, p, ProtectFrames.ipv4Udp(GUEST_MAC, OTHER_V4, 1, 0, 1, 2, 0), "outside allowed-ips");
        expect(IP_SPOOFED, p, ProtectFrames.ipv4Udp(OTHER_MAC, OTHER_V4, 1, 0, 1, 2, 0), "mac-nospoof off: IP decides");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, 0, 1, 0, 1, 2, 0), "0.0.0.0 always allowed");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV4).u8(0x45).zeros(10).direct(),
                "IPv4 header cut short");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV4).u8(0x43).zeros(11)
                .u32(GUEST_V4).u32(1).direct(), "IHL 3");
        expect(PASS, p, ProtectFrames.ether(GUEST_MAC, 0x88CC).zeros(46).direct(), "not IP: restricted's business");
        assertEquals(4, counters.ipspoofed());
    }

    @Test
    void arpSenderAddresses() {
        expect(PASS, p, ProtectFrames.arp(GUEST_MAC, 1, GUEST_MAC, GUEST_V4, OTHER_V4), "honest request");
        expect(PASS, p, ProtectFrames.arp(GUEST_MAC, 1, GUEST_MAC, 0, GUEST_V4), "probe from 0.0.0.0");
        expect(IP_SPOOFED, p, ProtectFrames.arp(GUEST_MAC, 2, GUEST_MAC, OTHER_V4, 1), "claims a foreign IP");
        expect(IP_SPOOFED, p, ProtectFrames.arp(GUEST_MAC, 2, OTHER_MAC, GUEST_V4, 1), "sender hardware address foreign");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_ARP).u16(1).u16(0x800).u8(6).u8(6)
                .u16(1).zeros(24).direct(), "plen 6");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_ARP).u16(1).u16(0x800).u8(6).u8(4)
                .u16(1).mac(GUEST_MAC).direct(), "truncated");
    }

    @Test
    void ipv6Sources() {
        expect(PASS, p, ProtectFrames.ipv6Udp(DOC_HI, 2, 1, 2), "allowed");
        expect(PASS, p, ProtectFrames.ipv6Udp(LL_HI, GUEST_LL_LO, 1, 2), "the MAC's own link-local address");
        expect(PASS, p, ProtectFrames.ipv6Udp(0, 0, 1, 2), ":: (duplicate address detection)");
        expect(IP_SPOOFED, p, ProtectFrames.ipv6Udp(LL_HI, GUEST_LL_LO + 1, 1, 2), "another link-local address");
        expect(IP_SPOOFED, p, ProtectFrames.ipv6Udp(DOC_HI, 3, 1, 2), "outside allowed-ips");
    }

    @Test
    void ndpTargetsAndLinkLayerOptions() {
        expect(PASS, p, ndp(LL_HI, GUEST_LL_LO, 135, DOC_HI, 1, lla(1, GUEST_MAC)), "NS with own SLLA");
        expect(IP_SPOOFED, p, ndp(LL_HI, GUEST_LL_LO, 135, DOC_HI, 1, lla(1, OTHER_MAC)), "NS with foreign SLLA");
        expect(PASS, p, ndp(LL_HI, GUEST_LL_LO, 136, DOC_HI, 2, lla(2, GUEST_MAC)), "NA for own address");
        expect(IP_SPOOFED, p, ndp(LL_HI, GUEST_LL_LO, 136, DOC_HI, 7, lla(2, GUEST_MAC)), "NA for a foreign target");
        expect(IP_SPOOFED, p, ndp(LL_HI, GUEST_LL_LO, 136, DOC_HI, 2, lla(2, OTHER_MAC)), "NA with foreign TLLA");
        expect(PASS, p, ndp(LL_HI, GUEST_LL_LO, 133, 0, 0), "RS without options");
        expect(PASS, p, ndp(LL_HI, GUEST_LL_LO, 134, 0, 0, concat(new int[] {5, 1, 0, 0, 0, 0, 5, 0xdc},
                lla(1, GUEST_MAC))), "RA: MTU option, then own SLLA");
        expect(IP_SPOOFED, p, ndp(LL_HI, GUEST_LL_LO, 133, 0, 0, concat(new int[] {5, 0, 0, 0, 0, 0, 0, 0},
                lla(1, GUEST_MAC))), "an option of length zero");
        expect(IP_SPOOFED, p, ndp(LL_HI, GUEST_LL_LO, 135, DOC_HI, 1, 1, 2, 0, 0x16, 0x3e, 0, 0, 0xa1, 0, 0, 0, 0, 0, 0,
                0, 0), "SLLA of two units (not a 6-byte MAC)");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, 58, LL_HI, GUEST_LL_LO, LL_HI, 1, 4).u8(135).u8(0).u16(0).direct(), "ICMPv6 header cut");
        expect(IP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, 58, LL_HI, GUEST_LL_LO, LL_HI, 1, 12).u8(135).u8(0).u16(0).u32(0).u32(0).direct(),
                "NS shorter than its 24 bytes");
        expect(PASS, p, ndp(LL_HI, GUEST_LL_LO, 128, 0, 0), "echo request: not NDP");
    }

    @Test
    void dhcpIsRefusedWhenAllowedIpsOfItsFamilyAreSet() {
        expect(IP_SPOOFED, p, ProtectFrames.dhcpv4(0, 6, GUEST_MAC), "DHCPv4 with IPv4 allowed-ips");
        expect(IP_SPOOFED, p, ProtectFrames.dhcpv6(1), "DHCPv6 solicit with IPv6 allowed-ips");
        LinkProtection v6only = vnic("protection=ip-nospoof,allowed-ips=2001:db8::2");
        expect(PASS, v6only, ProtectFrames.dhcpv4(0, 6, GUEST_MAC), "no IPv4 allowed-ips: DHCPv4 from 0.0.0.0 passes");
        LinkProtection v4only = vnic("protection=ip-nospoof,allowed-ips=198.18.0.2");
        expect(PASS, v4only, ProtectFrames.dhcpv6(1), "no IPv6 allowed-ips: DHCPv6 from link-local passes");
        expect(IP_SPOOFED, v4only, ProtectFrames.ipv6Udp(DOC_HI, 2, 1, 2), "IPv4-only list: global IPv6 refused");
    }
}
