package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_MAC;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_V4;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_MAC;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_V4;
import static org.xnb.vnic.protect.ProtectionVerdict.MAC_SPOOFED;
import static org.xnb.vnic.protect.ProtectionVerdict.MALFORMED;
import static org.xnb.vnic.protect.ProtectionVerdict.PASS;
import static org.xnb.vnic.protect.ProtectionVerdict.RESTRICTED;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.prop.AllowedIps;

/** mac-nospoof, restricted, the order of checks and the counters. */
class LinkProtectionTest extends ProtectionTestSupport {
    private static UnsafeBuffer tagged(long src, int vid, int innerType) {
        return new FrameWriter().ether(ProtectFrames.BROADCAST, src, vid, innerType).zeros(46).direct();
    }

    @Test
    void withoutProtectionEverythingPasses() {
        LinkProtection none = new LinkProtection(MAC, 0, java.util.Set.of(), AllowedIps.none());
        assertFalse(none.enabled());
        expect(PASS, none, ProtectFrames.ipv4Udp(OTHER_MAC, OTHER_V4, 1, 0, 1, 2, 0), "spoofed but unprotected");
        UnsafeBuffer runt = new FrameWriter().u32(0).direct();
        assertEquals(PASS, none.check(runt, 0, 4, counters));
    }

    @Test
    void macNoSpoof() {
        LinkProtection p = vnic("protection=mac-nospoof");
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, OTHER_V4, 1, 0, 1, 2, 0), "own MAC, any IP");
        expect(MAC_SPOOFED, p, ProtectFrames.ipv4Udp(OTHER_MAC, GUEST_V4, 1, 0, 1, 2, 0), "foreign source MAC");
        expect(MAC_SPOOFED, p, tagged(OTHER_MAC, 5, EtherHeader.ETHERTYPE_IPV4), "tagged, foreign MAC");
        expect(MAC_SPOOFED, p, ProtectFrames.arp(OTHER_MAC, 1, GUEST_MAC, GUEST_V4, 1), "ARP from a foreign MAC");
        assertEquals(3, counters.macspoofed());
        assertEquals(0, counters.ipspoofed());
    }

    @Test
    void restrictedEtherTypesAndVlans() {
        LinkProtection p = vnic("protection=restricted", 7);
        expect(PASS, p, ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 1, 2, 0), "IPv4");
        expect(PASS, p, ProtectFrames.ipv6Udp(ProtectFrames.DOC_HI, 2, 1, 2), "IPv6");
        expect(PASS, p, ProtectFrames.arp(GUEST_MAC, 1, GUEST_MAC, GUEST_V4, 1), "ARP");
        expect(RESTRICTED, p, ProtectFrames.ether(GUEST_MAC, 0x88CC).zeros(46).direct(), "LLDP");
        expect(RESTRICTED, p, ProtectFrames.ether(GUEST_MAC, 0x8863).zeros(46).direct(), "PPPoE discovery");
        expect(PASS, p, tagged(GUEST_MAC, 0, EtherHeader.ETHERTYPE_IPV4), "priority tag (VLAN 0)");
        expect(PASS, p, tagged(GUEST_MAC, 7, EtherHeader.ETHERTYPE_ARP), "the VNIC's own VLAN");
        expect(RESTRICTED, p, tagged(GUEST_MAC, 8, EtherHeader.ETHERTYPE_IPV4), "another VLAN");
        expect(RESTRICTED, p, tagged(GUEST_MAC, 7, 0x88CC), "own VLAN, LLDP inside");
        assertEquals(4, counters.restricted());
    }

    @Test
    void checksRunInIllumosOrderAndOnlyTheFirstFailureCounts() {
        LinkProtection p = vnic("protection=mac-nospoof,restricted,ip-nospoof,dhcp-nospoof,allowed-ips=198.18.0.2");
        expect(MAC_SPOOFED, p, ProtectFrames.ether(OTHER_MAC, 0x88CC).zeros(46).direct(), "MAC before restricted");
        expect(RESTRICTED, p, ProtectFrames.ether(GUEST_MAC, 0x88CC).zeros(46).direct(), "restricted");
        expect(ProtectionVerdict.IP_SPOOFED, p, ProtectFrames.ipv4Udp(GUEST_MAC, OTHER_V4, 0, 0, 68, 67, 240),
                "IP before DHCP");
        assertEquals(1, counters.macspoofed());
        assertEquals(1, counters.restricted());
        assertEquals(1, counters.ipspoofed());
        assertEquals(0, counters.dhcpspoofed());
    }

    @Test
    void runtFramesAreMalformed() {
        LinkProtection p = vnic("protection=mac-nospoof");
        UnsafeBuffer f = ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 1, 2, 0);
        assertEquals(MALFORMED, p.check(f, 0, 13, counters));
        assertEquals(MALFORMED, p.check(tagged(GUEST_MAC, 3, 0x800), 0, 17, counters));
        assertEquals(2, counters.malformed());
    }

    @Test
    void linkLocalInterfaceIdIsModifiedEui64() {
        assertEquals(ProtectFrames.GUEST_LL_LO, LinkProtection.linkLocalInterfaceId(GUEST_MAC));
    }
}
