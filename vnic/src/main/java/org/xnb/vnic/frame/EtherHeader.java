package org.xnb.vnic.frame;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The Ethernet header of a frame, with at most one 802.1Q tag, decoded into one {@code long} so
 * the data path allocates nothing:
 *
 * <pre>
 *   bits  0-15  EtherType (after the tag, if any)
 *   bits 16-23  offset of the L3 header from the frame start (14, or 18 when tagged)
 *   bits 24-35  VLAN id (0 when untagged)
 *   bit  36     tagged
 * </pre>
 *
 * {@link #parse} returns {@link #MALFORMED} (-1) for a frame too short for its header.
 */
public final class EtherHeader {
    public static final int HEADER_LENGTH = 14;
    public static final int TAGGED_HEADER_LENGTH = 18;
    public static final int TPID_8021Q = 0x8100;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final long MALFORMED = -1L;

    private EtherHeader() {
    }

    /** Decodes the header of the frame at {@code offset} of {@code length} bytes. */
    public static long parse(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return MALFORMED;
        }
        int type = u16(buffer, offset + 12);
        if (type != TPID_8021Q) {
            return type | ((long) HEADER_LENGTH << 16);
        }
        if (length < TAGGED_HEADER_LENGTH) {
            return MALFORMED;
        }
        int vid = u16(buffer, offset + 14) & 0x0FFF;
        return u16(buffer, offset + 16) | ((long) TAGGED_HEADER_LENGTH << 16) | ((long) vid << 24) | (1L << 36);
    }

    public static int etherType(long header) {
        return (int) (header & 0xFFFF);
    }

    public static int l3Offset(long header) {
        return (int) ((header >>> 16) & 0xFF);
    }

    public static int vlanId(long header) {
        return (int) ((header >>> 24) & 0x0FFF);
    }

    public static boolean tagged(long header) {
        return (header & (1L << 36)) != 0;
    }

    /** Six bytes at {@code index} as the low 48 bits of a long, first byte most significant. */
    public static long mac48(DirectBuffer buffer, int index) {
        return ((long) u16(buffer, index) << 32) | (buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    /** A 6-byte MAC address as the low 48 bits of a long. */
    public static long mac48(byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        long v = 0;
        for (byte b : mac) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    public static int u8(DirectBuffer buffer, int index) {
        return buffer.getByte(index) & 0xFF;
    }

    public static int u16(DirectBuffer buffer, int index) {
        return buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public static int i32(DirectBuffer buffer, int index) {
        return buffer.getInt(index, ByteOrder.BIG_ENDIAN);
    }

    public static long i64(DirectBuffer buffer, int index) {
        return buffer.getLong(index, ByteOrder.BIG_ENDIAN);
    }
}
