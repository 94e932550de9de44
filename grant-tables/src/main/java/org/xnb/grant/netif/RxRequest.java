package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct netif_rx_request}: a page the guest offers for receiving. Mutable and reused;
 * {@link #readFrom} copies the slot with one 8-byte load (XSA-155).
 *
 * <pre>
 *   0         2         4                   8
 *   +---------+---------+-------------------+
 *   | id  u16 | pad u16 | gref          u32 |
 *   +---------+---------+-------------------+
 * </pre>
 *
 * The response must go into the same ring slot as the request (Linux netfront ignores the id).
 */
public final class RxRequest {
    public static final int ID_OFFSET = 0;
    public static final int PAD_OFFSET = 2;
    public static final int GREF_OFFSET = 4;
    /** {@code sizeof(struct netif_rx_request)}. */
    public static final int LENGTH = 8;

    private int id;
    private int gref;

    public RxRequest readFrom(DirectBuffer buffer, int at) {
        long word = buffer.getLong(at, LITTLE_ENDIAN);
        id = (int) word & 0xffff;
        gref = (int) (word >>> 32);
        return this;
    }

    /** Writes the request with one 8-byte store, pad zero (the frontend's side). */
    public static void write(MutableDirectBuffer buffer, int at, int id, int gref) {
        buffer.putLong(at, (id & 0xffff) | (long) gref << 32, LITTLE_ENDIAN);
    }

    public int id() {
        return id;
    }

    /** Grant reference of the offered page (u32). */
    public int gref() {
        return gref;
    }

    @Override
    public String toString() {
        return "RxRequest{id=" + id + ", gref=" + Integer.toUnsignedString(gref) + '}';
    }
}
