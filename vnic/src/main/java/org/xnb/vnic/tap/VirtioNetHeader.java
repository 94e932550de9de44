package org.xnb.vnic.tap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Codec of the virtio-net header that precedes every frame on a TAP fd opened with
 * {@code IFF_VNET_HDR} ({@code <linux/virtio_net.h>}). It is how checksum offload and GSO cross
 * the user/kernel boundary: a TCP segment of up to 64 KiB travels as one frame plus this header
 * instead of 45 wire-size frames, and a checksum the kernel did not compute travels as
 * (csum_start, csum_offset).
 *
 * <pre>
 *  struct virtio_net_hdr (10 bytes) / virtio_net_hdr_v1 (12 bytes), little-endian
 *  0       1          2          4          6            8             10            12
 *  +-------+----------+----------+----------+------------+-------------+-------------+
 *  | flags | gso_type | hdr_len  | gso_size | csum_start | csum_offset | num_buffers |
 *  |  u8   |    u8    |   u16    |   u16    |    u16     |     u16     | u16 (v1)    |
 *  +-------+----------+----------+----------+------------+-------------+-------------+
 *  flags:    NEEDS_CSUM 1 = the checksum at csum_start+csum_offset is only the pseudo-header
 *            sum; fill it in over bytes [csum_start, end).  DATA_VALID 2 = already verified.
 *  gso_type: NONE 0, TCPV4 1, UDP 3, TCPV6 4, | ECN 0x80.
 *  hdr_len:  Ethernet + IP + TCP/UDP header bytes; gso_size: payload bytes per segment (MSS).
 *  offsets count from the start of the Ethernet frame, which follows the header directly.
 * </pre>
 *
 * <p>Byte order: virtio 1.0 headers are little-endian; the legacy header is in the host's order
 * and tun treats it as little-endian whenever the host is ({@code tun_is_little_endian}:
 * {@code TUN_VNET_LE} set, or {@code virtio_legacy_is_little_endian()}, which is true on x86 and
 * little-endian arm64). So on our hosts both sizes are little-endian without
 * {@code TUNSETVNETLE}, which only matters on big-endian hosts.
 *
 * <p>Static accessors over a buffer and offset, so the frame path allocates nothing.
 */
public final class VirtioNetHeader {
    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int SIZE = 10;
    /** {@code sizeof(struct virtio_net_hdr_v1)} (= legacy {@code virtio_net_hdr_mrg_rxbuf}). */
    public static final int SIZE_V1 = 12;

    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;
    public static final int NUM_BUFFERS_OFFSET = 10;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int F_RSC_INFO = 4;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_ECN = 0x80;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private VirtioNetHeader() {
    }

    public static int flags(DirectBuffer b, int at) {
        return b.getByte(at + FLAGS_OFFSET) & 0xff;
    }

    public static void flags(MutableDirectBuffer b, int at, int value) {
        b.putByte(at + FLAGS_OFFSET, (byte) checkU8("flags", value));
    }

    /** The whole gso_type byte, ECN bit included. */
    public static int gsoType(DirectBuffer b, int at) {
        return b.getByte(at + GSO_TYPE_OFFSET) & 0xff;
    }

    public static void gsoType(MutableDirectBuffer b, int at, int value) {
        b.putByte(at + GSO_TYPE_OFFSET, (byte) checkU8("gso_type", value));
    }

    /** gso_type without the ECN bit: NONE, TCPV4, UDP or TCPV6. */
    public static int gsoProtocol(DirectBuffer b, int at) {
        return gsoType(b, at) & ~GSO_ECN;
    }

    public static boolean isGso(DirectBuffer b, int at) {
        return gsoProtocol(b, at) != GSO_NONE;
    }

    public static int hdrLen(DirectBuffer b, int at) {
        return b.getShort(at + HDR_LEN_OFFSET, LE) & 0xffff;
    }

    public static void hdrLen(MutableDirectBuffer b, int at, int value) {
        b.putShort(at + HDR_LEN_OFFSET, (short) checkU16("hdr_len", value), LE);
    }

    public static int gsoSize(DirectBuffer b, int at) {
        return b.getShort(at + GSO_SIZE_OFFSET, LE) & 0xffff;
    }

    public static void gsoSize(MutableDirectBuffer b, int at, int value) {
        b.putShort(at + GSO_SIZE_OFFSET, (short) checkU16("gso_size", value), LE);
    }

    public static int csumStart(DirectBuffer b, int at) {
        return b.getShort(at + CSUM_START_OFFSET, LE) & 0xffff;
    }

    public static void csumStart(MutableDirectBuffer b, int at, int value) {
        b.putShort(at + CSUM_START_OFFSET, (short) checkU16("csum_start", value), LE);
    }

    public static int csumOffset(DirectBuffer b, int at) {
        return b.getShort(at + CSUM_OFFSET_OFFSET, LE) & 0xffff;
    }

    public static void csumOffset(MutableDirectBuffer b, int at, int value) {
        b.putShort(at + CSUM_OFFSET_OFFSET, (short) checkU16("csum_offset", value), LE);
    }

    /** Only in the 12-byte header. */
    public static int numBuffers(DirectBuffer b, int at) {
        return b.getShort(at + NUM_BUFFERS_OFFSET, LE) & 0xffff;
    }

    public static void numBuffers(MutableDirectBuffer b, int at, int value) {
        b.putShort(at + NUM_BUFFERS_OFFSET, (short) checkU16("num_buffers", value), LE);
    }

    /** Zeroes a header of {@code size} bytes: no offload, a whole checksummed frame. */
    public static void clear(MutableDirectBuffer b, int at, int size) {
        checkSize(size);
        b.setMemory(at, size, (byte) 0);
    }

    /**
     * Writes a complete header. {@code numBuffers} is written only when {@code size} is 12; a
     * frame written to a TAP fd carries one buffer, so callers pass 1 or 0 (tun ignores it).
     */
    public static void put(MutableDirectBuffer b, int at, int size, int flags, int gsoType, int hdrLen,
            int gsoSize, int csumStart, int csumOffset, int numBuffers) {
        checkSize(size);
        flags(b, at, flags);
        gsoType(b, at, gsoType);
        hdrLen(b, at, hdrLen);
        gsoSize(b, at, gsoSize);
        csumStart(b, at, csumStart);
        csumOffset(b, at, csumOffset);
        if (size == SIZE_V1) {
            numBuffers(b, at, numBuffers);
        }
    }

    /** For logs and test failures; allocates. */
    public static String toString(DirectBuffer b, int at, int size) {
        checkSize(size);
        StringBuilder s = new StringBuilder("virtio_net_hdr{flags=");
        int flags = flags(b, at);
        s.append(flags == 0 ? "0" : "")
                .append((flags & F_NEEDS_CSUM) != 0 ? "NEEDS_CSUM " : "")
                .append((flags & F_DATA_VALID) != 0 ? "DATA_VALID " : "")
                .append((flags & F_RSC_INFO) != 0 ? "RSC_INFO " : "");
        if (s.charAt(s.length() - 1) == ' ') {
            s.setLength(s.length() - 1);
        }
        s.append(", gso=").append(gsoName(gsoType(b, at)))
                .append(", hdr_len=").append(hdrLen(b, at))
                .append(", gso_size=").append(gsoSize(b, at))
                .append(", csum_start=").append(csumStart(b, at))
                .append(", csum_offset=").append(csumOffset(b, at));
        if (size == SIZE_V1) {
            s.append(", num_buffers=").append(numBuffers(b, at));
        }
        return s.append('}').toString();
    }

    /** NONE, TCPV4, UDP, TCPV6 (with "+ECN"), or the number when unknown. */
    public static String gsoName(int gsoType) {
        String ecn = (gsoType & GSO_ECN) != 0 ? "+ECN" : "";
        switch (gsoType & ~GSO_ECN) {
            case GSO_NONE:
                return "NONE" + ecn;
            case GSO_TCPV4:
                return "TCPV4" + ecn;
            case GSO_UDP:
                return "UDP" + ecn;
            case GSO_TCPV6:
                return "TCPV6" + ecn;
            default:
                return (gsoType & ~GSO_ECN) + ecn;
        }
    }

    private static void checkSize(int size) {
        if (size != SIZE && size != SIZE_V1) {
            throw new IllegalArgumentException("virtio-net header size must be 10 or 12: " + size);
        }
    }

    private static int checkU8(String field, int value) {
        if ((value & ~0xff) != 0) {
            throw new IllegalArgumentException(field + " out of u8 range: " + value);
        }
        return value;
    }

    private static int checkU16(String field, int value) {
        if ((value & ~0xffff) != 0) {
            throw new IllegalArgumentException(field + " out of u16 range: " + value);
        }
        return value;
    }
}
