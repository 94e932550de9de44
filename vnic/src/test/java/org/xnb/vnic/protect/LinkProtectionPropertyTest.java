package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.frame.IpHeaders;
import org.xnb.vnic.prop.ProtectionType;

/**
 * Random protection settings and random frames: the verdict and the counters must be what a plain
 * reference reading the frame's description says (first failing check in illumos' order).
 */
class LinkProtectionPropertyTest extends ProtectionTestSupport {
    private static final int VNIC_VID = 5;
    private static final long[] MACS = {ProtectFrames.GUEST_MAC, ProtectFrames.OTHER_MAC};
    private static final int[] VIDS = {-1, 0, VNIC_VID, 9};
    private static final int[] V4 = {ProtectFrames.GUEST_V4, ProtectFrames.SUBNET_V4, ProtectFrames.OTHER_V4, 0};
    private static final long[][] V6 = {{ProtectFrames.DOC_HI, 2}, {ProtectFrames.DOC_HI, 3},
        {ProtectFrames.LL_HI, ProtectFrames.GUEST_LL_LO}, {0, 0}, {ProtectFrames.LL_HI, 7}};

    private static boolean allowed4(int a, boolean listed) {
        return a == 0 || listed && (a == ProtectFrames.GUEST_V4 || a == ProtectFrames.SUBNET_V4);
    }

    private static boolean allowed6(long[] a, boolean listed) {
        return a[0] == 0 && a[1] == 0 || a[0] == ProtectFrames.LL_HI && a[1] == ProtectFrames.GUEST_LL_LO
                || listed && a[0] == ProtectFrames.DOC_HI && a[1] == 2;
    }

    @Test
    void verdictsAgreeWithTheReference() {
        qt().withExamples(2000).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            List<String> types = new ArrayList<>();
            for (ProtectionType t : ProtectionType.values()) {
                if (r.nextBoolean()) {
                    types.add(t.token());
                }
            }
            boolean listed = r.nextBoolean();
            String props = (types.isEmpty() ? "" : "protection=" + String.join(",", types) + ",")
                    + (listed ? "allowed-ips=198.18.0.2,198.18.1.0/24,2001:db8::2" : "priority=medium");
            LinkProtection p = vnic(props, VNIC_VID);
            for (int k = 0; k < 10; k++) {
                long srcMac = MACS[r.nextInt(2)];
                int vid = VIDS[r.nextInt(VIDS.length)];
                int kind = r.nextInt(5); // 0 IPv4 UDP, 1 ARP, 2 IPv6 UDP, 3 LLDP, 4 DHCPv4
                int src4 = V4[r.nextInt(V4.length)];
                long[] src6 = V6[r.nextInt(V6.length)];
                long sha = MACS[r.nextInt(2)];
                FrameWriter w = new FrameWriter().ether(ProtectFrames.BROADCAST, srcMac, vid, switch (kind) {
                    case 0, 4 -> EtherHeader.ETHERTYPE_IPV4;
                    case 1 -> EtherHeader.ETHERTYPE_ARP;
                    case 2 -> EtherHeader.ETHERTYPE_IPV6;
                    default -> 0x88CC;
                });
                switch (kind) {
                    case 0 -> w.ipv4(0, 0, IpHeaders.PROTO_UDP, src4, 1, 8).u16(9).u16(9).u32(8 << 16);
                    case 1 -> w.u16(1).u16(0x800).u8(6).u8(4).u16(1).mac(sha).u32(src4).mac(0).u32(1);
                    case 2 -> w.ipv6(0, IpHeaders.PROTO_UDP, src6[0], src6[1], ProtectFrames.DOC_HI, 1, 8).u16(9).u16(9).u32(0);
                    case 3 -> w.zeros(46);
                    default -> w.ipv4(0, 0, IpHeaders.PROTO_UDP, 0, -1, 248).u16(68).u16(67).u16(248).u16(0)
                            .u8(1).u8(1).u8(6).u8(0).zeros(24).mac(sha).zeros(10 + 192).u32(0x63825363).u8(255).zeros(7);
                }
                UnsafeBuffer frame = w.direct();

                ProtectionVerdict expected = ProtectionVerdict.PASS;
                if (types.contains("mac-nospoof") && srcMac != ProtectFrames.GUEST_MAC) {
                    expected = ProtectionVerdict.MAC_SPOOFED;
                } else if (types.contains("restricted") && (vid > 0 && vid != VNIC_VID || kind == 3)) {
                    expected = ProtectionVerdict.RESTRICTED;
                } else if (types.contains("ip-nospoof") && (kind == 0 && !allowed4(src4, listed)
                        || kind == 1 && (sha != ProtectFrames.GUEST_MAC || !allowed4(src4, listed))
                        || kind == 2 && !allowed6(src6, listed)
                        || kind == 4 && listed)) {
                    expected = ProtectionVerdict.IP_SPOOFED;
                } else if (types.contains("dhcp-nospoof") && kind == 4 && sha != ProtectFrames.GUEST_MAC) {
                    expected = ProtectionVerdict.DHCP_SPOOFED;
                }
                Snap before = snapshot();
                assertEquals(expected, p.check(frame, 0, frame.capacity(), counters),
                        () -> "seed " + seed + " props " + props);
                assertEquals(before.macspoofed() + (expected == ProtectionVerdict.MAC_SPOOFED ? 1 : 0), counters.macspoofed());
                assertEquals(before.restricted() + (expected == ProtectionVerdict.RESTRICTED ? 1 : 0), counters.restricted());
                assertEquals(before.ipspoofed() + (expected == ProtectionVerdict.IP_SPOOFED ? 1 : 0), counters.ipspoofed());
                assertEquals(before.dhcpspoofed() + (expected == ProtectionVerdict.DHCP_SPOOFED ? 1 : 0), counters.dhcpspoofed());
            }
        });
    }

    private Snap snapshot() {
        return new Snap(counters.macspoofed(), counters.restricted(), counters.ipspoofed(), counters.dhcpspoofed());
    }

    private record Snap(long macspoofed, long restricted, long ipspoofed, long dhcpspoofed) {
    }
}
