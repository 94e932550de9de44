package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_MAC;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_V4;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_MAC;
import static org.xnb.vnic.protect.ProtectFrames.clientIdV6;
import static org.xnb.vnic.protect.ProtectFrames.dhcpv4;
import static org.xnb.vnic.protect.ProtectFrames.dhcpv6;
import static org.xnb.vnic.protect.ProtectionVerdict.DHCP_SPOOFED;
import static org.xnb.vnic.protect.ProtectionVerdict.PASS;

import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;

/** dhcp-nospoof: DHCPv4 chaddr and client id, DHCPv6 DUIDs, fragments and short packets. */
class DhcpNoSpoofTest extends ProtectionTestSupport {
    private static final int MESSAGE_TYPE_DISCOVER_END = 255;
    private final LinkProtection p = vnic("protection=dhcp-nospoof");

    @Test
    void dhcpv4ChaddrAndClientId() {
        expect(PASS, p, dhcpv4(0, 6, GUEST_MAC, 53, 1, 1, MESSAGE_TYPE_DISCOVER_END), "own chaddr, no client id");
        expect(DHCP_SPOOFED, p, dhcpv4(0, 6, OTHER_MAC, 53, 1, 1, 255), "foreign chaddr");
        expect(PASS, p, dhcpv4(0, 16, OTHER_MAC, 255), "hlen 16: chaddr not compared, as illumos");
        expect(PASS, p, dhcpv4(0, 6, GUEST_MAC, 0, 0, 61, 7, 1, 0x00, 0x16, 0x3e, 0, 0, 0xa1, 255),
                "pads, then client id = Ethernet + own MAC");
        expect(DHCP_SPOOFED, p, dhcpv4(0, 6, GUEST_MAC, 61, 7, 1, 0x00, 0x16, 0x3e, 0, 0, 0xb2, 255),
                "client id with a foreign MAC");
        expect(DHCP_SPOOFED, p, dhcpv4(0, 6, GUEST_MAC, 61, 4, 0, 'a', 'b', 'c', 255), "a string client id");
        expect(PASS, p, dhcpv4(0, 6, GUEST_MAC, 12, 2, 'h', 'i', 255, 61, 7, 1, 0, 0, 0, 0, 0, 0),
                "a client id after the end option is not read");
        expect(PASS, p, dhcpv4(0, 6, GUEST_MAC, 61, 30, 1, 2), "option length past the packet: not found");
        assertEquals(3, counters.dhcpspoofed());
    }

    @Test
    void dhcpv4FragmentsAndShortPackets() {
        expect(DHCP_SPOOFED, p, dhcpv4(0x2000, 6, GUEST_MAC, 255), "first fragment of a DHCP datagram");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 0xFFFF_FFFF, 0x0020, 68, 67, 8), "later fragment");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 68, 67, 100), "too short to be DHCP");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 5353, 5353, 300), "other UDP");
        expect(DHCP_SPOOFED, p, ProtectFrames.ether(GUEST_MAC, EtherHeader.ETHERTYPE_IPV4)
                .ipv4(0, 0, 17, 0, -1, 8).u16(68).u16(67).direct(), "UDP header cut");
        expect(PASS, p, ProtectFrames.arp(GUEST_MAC, 1, OTHER_MAC, 1, 2), "ARP is not DHCP's business");
    }

    @Test
    void dhcpv6ClientDuids() {
        expect(PASS, p, dhcpv6(1, clientIdV6(3, GUEST_MAC)), "Solicit, DUID-LL with own MAC");
        expect(PASS, p, dhcpv6(3, clientIdV6(1, GUEST_MAC)), "Request, DUID-LLT with own MAC");
        expect(DHCP_SPOOFED, p, dhcpv6(1, clientIdV6(3, OTHER_MAC)), "DUID-LL with a foreign MAC");
        expect(DHCP_SPOOFED, p, dhcpv6(1, 0, 1, 0, 6, 0, 2, 0, 0, 0, 9), "DUID-EN (no MAC in it)");
        expect(PASS, p, dhcpv6(7, clientIdV6(3, OTHER_MAC)), "Reply: a server message, not checked");
        expect(PASS, p, dhcpv6(1, 0, 8, 0, 2, 0, 0), "no client id (elapsed time only)");
        expect(PASS, p, dhcpv6(1, 0, 1, 0, 40, 0, 3), "client id longer than the packet: not found");
        assertEquals(2, counters.dhcpspoofed());
    }
}
