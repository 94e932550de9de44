package org.xnb.netback.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_BIT;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_TCP;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_BIT;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_TCP;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_TCP_BIT;

import org.junit.jupiter.api.Test;

/** Which fields the hash flags select, as Linux's xenvif_set_skb_hash, and frames with nothing to hash. */
class FrameHashTest {
    private final ToeplitzTable key = ToeplitzTable.standard();
    private final TestFrames.Native mem = new TestFrames.Native();
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";

    private long hash(int flags, byte[] frame) {
        return FrameHash.hash(key, flags, mem.put(frame), frame.length);
    }

    private int l3(String src, String dst) {
        byte[] t = TestFrames.tuple(src, dst, 0, 0, false);
        return key.hash(t, 0, t.length);
    }

    private int l4(String src, String dst, int sp, int dp) {
        byte[] t = TestFrames.tuple(src, dst, sp, dp, true);
        return key.hash(t, 0, t.length);
    }

    @Test
    void theMaximalTypeWins() {
        byte[] tcp = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80);
        assertEquals(l4(A, B, 1000, 80), FrameHash.value(hash(HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP, tcp)));
        assertEquals(l3(A, B), FrameHash.value(hash(HASH_TYPE_IPV4, tcp)));
        assertEquals(HASH_TYPE_IPV4_BIT, FrameHash.typeBit(hash(HASH_TYPE_IPV4, tcp)));
    }

    @Test
    void udpIsHashedOnlyByAddresses() {
        byte[] udp = TestFrames.ipv4(A, B, TestFrames.UDP, 1000, 53);
        assertEquals(l3(A, B), FrameHash.value(hash(HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP, udp)));
        assertEquals(FrameHash.NONE, hash(HASH_TYPE_IPV4_TCP, udp));
        assertEquals(0, FrameHash.value(FrameHash.NONE));
    }

    @Test
    void ipv4FragmentsHaveNoPorts() {
        byte[] moreFragments = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80, 0x2000, 0);
        byte[] laterFragment = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80, 0x0010, 0);
        byte[] dontFragment = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80, 0x4000, 0);
        int all = FrameHash.ALL_TYPES;
        assertEquals(HASH_TYPE_IPV4_BIT, FrameHash.typeBit(hash(all, moreFragments)));
        assertEquals(HASH_TYPE_IPV4_BIT, FrameHash.typeBit(hash(all, laterFragment)));
        assertEquals(l4(A, B, 1000, 80), FrameHash.value(hash(all, dontFragment)));
    }

    @Test
    void ipv4PortsFollowTheOptions() {
        byte[] withOptions = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80, 0, 3);
        assertEquals(l4(A, B, 1000, 80), FrameHash.value(hash(FrameHash.ALL_TYPES, withOptions)));
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        String a = "2001:2::1";
        String b = "2001:2::2";
        byte[] plain = TestFrames.ipv6(a, b, TestFrames.TCP, 1000, 80);
        byte[] withExtensions = TestFrames.ipv6(a, b, TestFrames.TCP, 1000, 80, 0, 60, 43);
        byte[] fragment = TestFrames.ipv6(a, b, TestFrames.TCP, 1000, 80, 44);
        assertEquals(l4(a, b, 1000, 80), FrameHash.value(hash(FrameHash.ALL_TYPES, plain)));
        assertEquals(HASH_TYPE_IPV6_TCP_BIT, FrameHash.typeBit(hash(FrameHash.ALL_TYPES, withExtensions)));
        assertEquals(l4(a, b, 1000, 80), FrameHash.value(hash(FrameHash.ALL_TYPES, withExtensions)));
        assertEquals(HASH_TYPE_IPV6_BIT, FrameHash.typeBit(hash(FrameHash.ALL_TYPES, fragment)));
        assertEquals(l3(a, b), FrameHash.value(hash(HASH_TYPE_IPV6 | HASH_TYPE_IPV6_TCP, fragment)));
        assertEquals(FrameHash.NONE, hash(HASH_TYPE_IPV6_TCP, fragment));
        // IPv4 flags do not cover IPv6 and the other way round
        assertEquals(FrameHash.NONE, hash(HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP, plain));
        assertEquals(FrameHash.NONE, hash(HASH_TYPE_IPV6 | HASH_TYPE_IPV6_TCP, TestFrames.ipv4(A, B, 6, 1, 2)));
    }

    @Test
    void framesWithNothingToHash() {
        byte[] tcp = TestFrames.ipv4(A, B, TestFrames.TCP, 1000, 80);
        assertEquals(FrameHash.NONE, hash(0, tcp));
        // cut inside the IPv4 header, inside the ports (addresses only), an ARP frame, a runt
        assertEquals(FrameHash.NONE, FrameHash.hash(key, FrameHash.ALL_TYPES, mem.put(tcp), 14 + 19));
        assertEquals(HASH_TYPE_IPV4_BIT, FrameHash.typeBit(FrameHash.hash(key, FrameHash.ALL_TYPES, mem.put(tcp),
                14 + 20 + 3)));
        byte[] arp = tcp.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(FrameHash.NONE, hash(FrameHash.ALL_TYPES, arp));
        assertEquals(FrameHash.NONE, FrameHash.hash(key, FrameHash.ALL_TYPES, mem.put(tcp), 13));
        byte[] badIhl = tcp.clone();
        badIhl[14] = 0x44;
        assertEquals(FrameHash.NONE, hash(FrameHash.ALL_TYPES, badIhl));
        byte[] badVersion = tcp.clone();
        badVersion[14] = 0x65;
        assertEquals(FrameHash.NONE, hash(FrameHash.ALL_TYPES, badVersion));
        assertEquals(0, FrameHash.spread(mem.put(arp), arp.length));
    }

    @Test
    void theDefaultSpreadUsesUdpPortsToo() {
        byte[] udp = TestFrames.ipv4(A, B, TestFrames.UDP, 1000, 53);
        assertEquals(l4(A, B, 1000, 53), FrameHash.spread(mem.put(udp), udp.length));
        byte[] fragment = TestFrames.ipv4(A, B, TestFrames.UDP, 1000, 53, 0x2000, 0);
        assertEquals(l3(A, B), FrameHash.spread(mem.put(fragment), fragment.length));
    }
}
