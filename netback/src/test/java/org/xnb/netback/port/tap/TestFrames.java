package org.xnb.netback.port.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Crafted Ethernet frames (big-endian headers, random payload) for the TAP port's unit tests. */
final class TestFrames {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;

    private TestFrames() {
    }

    /** Ethernet (+ optional 802.1Q tag) + IPv4 (ihl words) + TCP (doff words) or UDP + payload. */
    static byte[] ipv4(int protocol, int ihlWords, int l4Words, int payload, boolean vlan, long seed) {
        int l2 = vlan ? 18 : 14;
        int ipLen = ihlWords * 4;
        int l4 = protocol == TCP ? l4Words * 4 : protocol == UDP ? 8 : 8;
        ByteBuffer b = ByteBuffer.allocate(l2 + ipLen + l4 + payload).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, vlan, 0x0800);
        int ip = b.position();
        b.put((byte) (0x40 | ihlWords)).put((byte) 0).putShort((short) (ipLen + l4 + payload));
        b.putShort((short) 1).putShort((short) 0x4000); // DF
        b.put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.putInt(0xc6120001).putInt(0xc6120002); // 198.18.0.1 -> 198.18.0.2
        b.position(ip + ipLen);
        l4(b, protocol, l4, payload);
        fill(b, seed);
        return b.array();
    }

    /**
     * Ethernet + IPv6 + extension headers (each {@code {type, lengthBytes}}, a multiple of 8) + TCP/UDP.
     */
    static byte[] ipv6(int protocol, int payload, int[][] extensions, long seed) {
        int ext = 0;
        for (int[] e : extensions) {
            ext += e[1];
        }
        int l4 = protocol == TCP ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + ext + l4 + payload).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, false, 0x86dd);
        b.putInt(0x60000000).putShort((short) (ext + l4 + payload));
        b.put((byte) (extensions.length > 0 ? extensions[0][0] : protocol)).put((byte) 64);
        b.putLong(0x20010db800000000L).putLong(1).putLong(0x20010db800000000L).putLong(2);
        for (int i = 0; i < extensions.length; i++) {
            int start = b.position();
            int next = i + 1 < extensions.length ? extensions[i + 1][0] : protocol;
            b.put((byte) next);
            if (extensions[i][0] == ChecksumSetup.NEXTHDR_FRAGMENT) {
                b.put((byte) 0).putShort((short) 0).putInt(7); // offset 0, no MF: an atomic fragment
            } else {
                b.put((byte) (extensions[i][1] / 8 - 1));
            }
            b.position(start + extensions[i][1]);
        }
        l4(b, protocol, l4, payload);
        fill(b, seed);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, boolean vlan, int type) {
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        if (vlan) {
            b.putShort((short) 0x8100).putShort((short) 42);
        }
        b.putShort((short) type);
    }

    private static void l4(ByteBuffer b, int protocol, int l4, int payload) {
        int start = b.position();
        b.putShort((short) 40000).putShort((short) 5201);
        if (protocol == TCP) {
            b.putInt(1000).putInt(2000).put((byte) ((l4 / 4) << 4)).put((byte) 0x18).putShort((short) 512);
            b.putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) (8 + payload)).putShort((short) 0);
        }
        b.position(start + l4);
    }

    private static void fill(ByteBuffer b, long seed) {
        Random r = new Random(seed);
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt());
        }
    }

    /** Off-heap copy (the port works on native addresses). */
    static UnsafeBuffer offHeap(byte[] frame) {
        UnsafeBuffer u = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, frame.length + 64), 64));
        u.putBytes(0, frame);
        return u;
    }

    /** The one's-complement sum of {@code length} bytes at {@code offset}, not folded. */
    static long sum(UnsafeBuffer b, int offset, int length) {
        long s = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            s += b.getShort(offset + i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        if ((length & 1) != 0) {
            s += (b.getByte(offset + length - 1) & 0xff) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
