package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct netif_extra_info}: an extra slot that follows a request with
 * {@link NetTxFlags#EXTRA_INFO} (TX) or a response with {@link NetRxFlags#EXTRA_INFO} (RX), or
 * the previous extra when it has {@link #FLAG_MORE}. 8 bytes, so it fits an RX slot; in a 12-byte
 * TX slot the last 4 bytes are padding. Mutable and reused; {@link #readFrom} copies the 8 bytes
 * with one load (XSA-155).
 *
 * <pre>
 *   0     1     2     3     4     5     6     7     8           12
 *   +-----+-----+-----+-----+-----+-----+-----+-----+-----------+
 *   |type |flags| u (6 bytes, by type)              | TX pad    |
 *   +-----+-----+-----+-----+-----+-----+-----+-----+-----------+
 *   GSO:        | size u16  |gtype| pad | features  |
 *   MCAST_ADD/  | addr[0..5]                        |
 *   MCAST_DEL:  |                                   |
 *   HASH:       |htype| alg | value[4] LSB..MSB     |
 * </pre>
 */
public final class ExtraInfo {
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the union {@code u}. */
    public static final int UNION_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 2;
    public static final int GSO_TYPE_OFFSET = 4;
    public static final int GSO_PAD_OFFSET = 5;
    public static final int GSO_FEATURES_OFFSET = 6;
    public static final int MCAST_ADDR_OFFSET = 2;
    public static final int HASH_TYPE_OFFSET = 2;
    public static final int HASH_ALGORITHM_OFFSET = 3;
    public static final int HASH_VALUE_OFFSET = 4;
    /** {@code sizeof(struct netif_extra_info)}. */
    public static final int LENGTH = 8;

    /** {@code XEN_NETIF_EXTRA_TYPE_NONE}: never valid on the ring. */
    public static final int TYPE_NONE = 0;
    public static final int TYPE_GSO = 1;
    public static final int TYPE_MCAST_ADD = 2;
    public static final int TYPE_MCAST_DEL = 3;
    public static final int TYPE_HASH = 4;
    /** {@code XEN_NETIF_EXTRA_TYPE_MAX}: types are valid in {@code [1, MAX)}. */
    public static final int TYPE_MAX = 5;

    public static final int FLAG_MORE_BIT = 0;
    /** {@code XEN_NETIF_EXTRA_FLAG_MORE}: another extra slot follows. */
    public static final int FLAG_MORE = 1 << FLAG_MORE_BIT;

    /** {@code XEN_NETIF_GSO_TYPE_*}. */
    public static final int GSO_TYPE_NONE = 0;
    public static final int GSO_TYPE_TCPV4 = 1;
    public static final int GSO_TYPE_TCPV6 = 2;

    private static final long MAC_MASK = 0xffff_ffff_ffffL;

    private long word;

    /** Copies the extra out of shared memory with one 8-byte load. */
    public ExtraInfo readFrom(DirectBuffer buffer, int at) {
        word = buffer.getLong(at, LITTLE_ENDIAN);
        return this;
    }

    /** Writes a GSO extra (one 8-byte store). */
    public static void writeGso(MutableDirectBuffer buffer, int at, int flags, int size, int gsoType, int features) {
        long w = TYPE_GSO | (flags & 0xff) << 8 | (long) (size & 0xffff) << 16
                | (long) (gsoType & 0xff) << 32 | (long) (features & 0xffff) << 48;
        buffer.putLong(at, w, LITTLE_ENDIAN);
    }

    /**
     * Writes a multicast extra (one 8-byte store). {@code mac} holds the 48-bit address with
     * {@code addr[0]} in its most significant byte (as a MAC is written: 01:00:5e:... ).
     */
    public static void writeMcast(MutableDirectBuffer buffer, int at, int type, int flags, long mac) {
        if (type != TYPE_MCAST_ADD && type != TYPE_MCAST_DEL) {
            throw new IllegalArgumentException("not a multicast extra type: " + type);
        }
        long w = type | (flags & 0xff) << 8 | Long.reverseBytes(mac & MAC_MASK);
        buffer.putLong(at, w, LITTLE_ENDIAN);
    }

    /** Writes a hash extra (one 8-byte store); {@code hashType} is a {@code _XEN_NETIF_CTRL_HASH_TYPE_*} bit number. */
    public static void writeHash(MutableDirectBuffer buffer, int at, int flags, int hashType, int algorithm, int value) {
        long w = TYPE_HASH | (flags & 0xff) << 8 | (long) (hashType & 0xff) << 16
                | (long) (algorithm & 0xff) << 24 | (value & 0xffff_ffffL) << 32;
        buffer.putLong(at, w, LITTLE_ENDIAN);
    }

    /** {@code XEN_NETIF_EXTRA_TYPE_*} as sent (0..255; only 1..4 are valid). */
    public int type() {
        return (int) word & 0xff;
    }

    public int flags() {
        return (int) (word >>> 8) & 0xff;
    }

    public boolean more() {
        return (flags() & FLAG_MORE) != 0;
    }

    /** The 6 bytes of the union, little-endian in the low 48 bits. */
    public long union() {
        return word >>> 16;
    }

    /** GSO: maximum segment payload (the MSS). */
    public int gsoSize() {
        return (int) (word >>> 16) & 0xffff;
    }

    /** GSO: {@code XEN_NETIF_GSO_TYPE_*}. */
    public int gsoType() {
        return (int) (word >>> 32) & 0xff;
    }

    public int gsoPad() {
        return (int) (word >>> 40) & 0xff;
    }

    public int gsoFeatures() {
        return (int) (word >>> 48) & 0xffff;
    }

    /** MCAST_ADD/DEL: the address, {@code addr[0]} in the most significant of 48 bits. */
    public long mcastAddress() {
        return Long.reverseBytes(word) & MAC_MASK;
    }

    /** HASH: {@code _XEN_NETIF_CTRL_HASH_TYPE_*} bit number. */
    public int hashType() {
        return (int) (word >>> 16) & 0xff;
    }

    /** HASH: {@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}. */
    public int hashAlgorithm() {
        return (int) (word >>> 24) & 0xff;
    }

    /** HASH: the 32-bit hash value ({@code value[0]} is its least significant byte). */
    public int hashValue() {
        return (int) (word >>> 32);
    }

    @Override
    public String toString() {
        return "ExtraInfo{type=" + type() + ", flags=" + flags() + ", u=0x" + Long.toHexString(union()) + '}';
    }
}
