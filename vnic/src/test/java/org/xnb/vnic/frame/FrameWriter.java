package org.xnb.vnic.frame;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Writes test frames field by field, big-endian, and hands them out on- or off-heap. */
public final class FrameWriter {
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    public FrameWriter u8(int v) {
        out.put((byte) v);
        return this;
    }

    public FrameWriter u16(int v) {
        out.putShort((short) v);
        return this;
    }

    public FrameWriter u32(int v) {
        out.putInt(v);
        return this;
    }

    public FrameWriter u64(long v) {
        out.putLong(v);
        return this;
    }

    public FrameWriter mac(long mac48) {
        out.putShort((short) (mac48 >>> 32)).putInt((int) mac48);
        return this;
    }

    public FrameWriter zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.put((byte) 0);
        }
        return this;
    }

    /** Ethernet header, untagged (vid < 0) or with an 802.1Q tag. */
    public FrameWriter ether(long dst, long src, int vid, int etherType) {
        mac(dst).mac(src);
        if (vid >= 0) {
            u16(EtherHeader.TPID_8021Q).u16(vid);
        }
        return u16(etherType);
    }

    /** A 20-byte IPv4 header (checksum left 0: nothing here checks it). */
    public FrameWriter ipv4(int tos, int fragField, int protocol, int src, int dst, int payloadLength) {
        return u8(0x45).u8(tos).u16(20 + payloadLength).u16(0x1234).u16(fragField).u8(64).u8(protocol).u16(0)
                .u32(src).u32(dst);
    }

    public FrameWriter ipv6(int trafficClass, int nextHeader, long srcHi, long srcLo, long dstHi, long dstLo,
            int payloadLength) {
        return u32(0x6000_0000 | trafficClass << 20).u16(payloadLength).u8(nextHeader).u8(64)
                .u64(srcHi).u64(srcLo).u64(dstHi).u64(dstLo);
    }

    public int length() {
        return out.position();
    }

    public byte[] bytes() {
        byte[] b = new byte[out.position()];
        out.duplicate().flip().get(b);
        return b;
    }

    /** The frame in an off-heap buffer at offset 0, as lanes see frames. */
    public UnsafeBuffer direct() {
        byte[] b = bytes();
        UnsafeBuffer buf = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, align(b.length)), 64));
        buf.putBytes(0, b);
        return new UnsafeBuffer(buf, 0, b.length);
    }

    private static int align(int n) {
        return (n + 63) & ~63;
    }
}
