package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct netif_rx_response}: one received fragment handed to the guest.
 *
 * <pre>
 *   0         2         4         6         8
 *   +---------+---------+---------+---------+
 *   | id  u16 |offset u16|flags u16|status s16|
 *   +---------+---------+---------+---------+
 * </pre>
 *
 * {@code status} is the fragment's byte count, or a negative {@code NETIF_RSP_*};
 * {@code flags} are {@link NetRxFlags}.
 */
public final class RxResponse {
    public static final int ID_OFFSET = 0;
    public static final int OFFSET_OFFSET = 2;
    public static final int FLAGS_OFFSET = 4;
    public static final int STATUS_OFFSET = 6;
    /** {@code sizeof(struct netif_rx_response)}. */
    public static final int LENGTH = 8;

    private int id;
    private int offset;
    private int flags;
    private int status;

    /** Writes a response with one 8-byte store. */
    public static void write(MutableDirectBuffer buffer, int at, int id, int offset, int flags, int status) {
        long w = (id & 0xffff) | (long) (offset & 0xffff) << 16 | (long) (flags & 0xffff) << 32
                | (long) (status & 0xffff) << 48;
        buffer.putLong(at, w, LITTLE_ENDIAN);
    }

    /** Copies a response out with one load (the frontend's side). */
    public RxResponse readFrom(DirectBuffer buffer, int at) {
        long w = buffer.getLong(at, LITTLE_ENDIAN);
        id = (int) w & 0xffff;
        offset = (int) (w >>> 16) & 0xffff;
        flags = (int) (w >>> 32) & 0xffff;
        status = (short) (w >>> 48);
        return this;
    }

    public int id() {
        return id;
    }

    public int offset() {
        return offset;
    }

    public int flags() {
        return flags;
    }

    /** Byte count (>= 0) or {@code NETIF_RSP_*} (< 0). */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "RxResponse{id=" + id + ", offset=" + offset + ", flags=0x" + Integer.toHexString(flags)
                + ", status=" + status + '}';
    }
}
