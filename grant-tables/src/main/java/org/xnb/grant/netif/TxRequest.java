package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct netif_tx_request}: one slot of a packet the guest transmits. Mutable and reused:
 * {@link #readFrom} copies the slot out of the shared page once (see the package doc, XSA-155).
 *
 * <pre>
 *   0                   4         6         8         10        12
 *   +-------------------+---------+---------+---------+---------+
 *   | gref          u32 |offset u16|flags u16| id  u16 | size u16|
 *   +-------------------+---------+---------+---------+---------+
 *   \________ first 8-byte load _________/  \__ 4-byte load __/
 * </pre>
 *
 * {@code size} is the whole packet's length in the first slot of a packet and the fragment's
 * length in later slots; {@code flags} are {@link NetTxFlags}.
 */
public final class TxRequest {
    public static final int GREF_OFFSET = 0;
    public static final int OFFSET_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int ID_OFFSET = 8;
    public static final int SIZE_OFFSET = 10;
    /** {@code sizeof(struct netif_tx_request)}. */
    public static final int LENGTH = 12;

    private int gref;
    private int offset;
    private int flags;
    private int id;
    private int size;

    /**
     * Copies the request at {@code at} out of shared memory: exactly two loads, everything after
     * works on the copy.
     */
    public TxRequest readFrom(DirectBuffer buffer, int at) {
        long low = buffer.getLong(at, LITTLE_ENDIAN);
        int high = buffer.getInt(at + ID_OFFSET, LITTLE_ENDIAN);
        gref = (int) low;
        offset = (int) (low >>> 32) & 0xffff;
        flags = (int) (low >>> 48) & 0xffff;
        id = high & 0xffff;
        size = high >>> 16;
        return this;
    }

    /** Writes this request into a slot (the frontend's side: harness guests and tests). */
    public void writeTo(MutableDirectBuffer buffer, int at) {
        long low = (gref & 0xffffffffL) | (long) (offset & 0xffff) << 32 | (long) (flags & 0xffff) << 48;
        buffer.putLong(at, low, LITTLE_ENDIAN);
        buffer.putInt(at + ID_OFFSET, (id & 0xffff) | (size & 0xffff) << 16, LITTLE_ENDIAN);
    }

    /** Sets every field (values are truncated to the field widths on write). */
    public TxRequest set(int gref, int offset, int flags, int id, int size) {
        this.gref = gref;
        this.offset = offset & 0xffff;
        this.flags = flags & 0xffff;
        this.id = id & 0xffff;
        this.size = size & 0xffff;
        return this;
    }

    /** Grant reference of the page holding the data (u32; compare unsigned). */
    public int gref() {
        return gref;
    }

    /** Offset of the data in the granted page, 0..65535 as sent (must be checked against 4096). */
    public int offset() {
        return offset;
    }

    /** {@link NetTxFlags} bits, 0..65535. */
    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Request id echoed in the response, 0..65535. */
    public int id() {
        return id;
    }

    /** Packet size (first slot) or fragment size (later slots), 0..65535. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "TxRequest{gref=" + Integer.toUnsignedString(gref) + ", offset=" + offset + ", flags=0x"
                + Integer.toHexString(flags) + ", id=" + id + ", size=" + size + '}';
    }
}
