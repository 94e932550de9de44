package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_LL_LO;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_MAC;
import static org.xnb.vnic.protect.ProtectFrames.GUEST_V4;
import static org.xnb.vnic.protect.ProtectFrames.LL_HI;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_MAC;
import static org.xnb.vnic.protect.ProtectFrames.OTHER_V4;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Checking frames allocates nothing, passing or dropping, by the JVM's per-thread counter. */
class LinkProtectionAllocationTest extends ProtectionTestSupport {
    @Test
    void checkingAllocatesNothing() {
        LinkProtection p = vnic("protection=mac-nospoof,restricted,ip-nospoof,dhcp-nospoof,"
                + "allowed-ips=198.18.0.2,2001:db8::2");
        UnsafeBuffer[] frames = {
            ProtectFrames.ipv4Udp(GUEST_MAC, GUEST_V4, 1, 0, 1, 2, 0),
            ProtectFrames.ipv4Udp(GUEST_MAC, OTHER_V4, 1, 0, 1, 2, 0),
            ProtectFrames.ipv4Udp(OTHER_MAC, GUEST_V4, 1, 0, 1, 2, 0),
            ProtectFrames.arp(GUEST_MAC, 1, GUEST_MAC, GUEST_V4, 1),
            ProtectFrames.ndp(LL_HI, GUEST_LL_LO, 135, ProtectFrames.DOC_HI, 1, ProtectFrames.lla(1, GUEST_MAC)),
            ProtectFrames.dhcpv4(0, 6, GUEST_MAC, 61, 7, 1, 0, 0x16, 0x3e, 0, 0, 0xa1, 255),
            ProtectFrames.dhcpv6(1, ProtectFrames.clientIdV6(3, GUEST_MAC)),
            ProtectFrames.ether(GUEST_MAC, 0x88CC).zeros(46).direct(),
        };
        LinkProtection dhcpOnly = vnic("protection=dhcp-nospoof");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        run(p, dhcpOnly, frames, 20_000);
        long before = mx.getThreadAllocatedBytes(self);
        run(p, dhcpOnly, frames, 50_000);
        long allocated = mx.getThreadAllocatedBytes(self) - before;
        assertTrue(allocated < 1024, "checking " + 50_000 * frames.length * 2 + " frames allocated " + allocated + " bytes");
        assertTrue(counters.total() > 0);
    }

    private void run(LinkProtection p, LinkProtection q, UnsafeBuffer[] frames, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (UnsafeBuffer f : frames) {
                p.check(f, 0, f.capacity(), counters);
                q.check(f, 0, f.capacity(), counters);
            }
        }
    }
}
