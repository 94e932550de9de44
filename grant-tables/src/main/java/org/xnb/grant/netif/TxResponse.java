package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct netif_tx_response}: the backend's answer to one TX slot. It occupies the first 4
 * bytes of a 12-byte TX slot; the rest of the slot is left as it was.
 *
 * <pre>
 *   0         2         4                             12
 *   +---------+---------+-----------------------------+
 *   | id  u16 |status s16| unused (rest of the slot)  |
 *   +---------+---------+-----------------------------+
 * </pre>
 *
 * {@code status} is one of {@link Netif#RSP_OKAY}, {@link Netif#RSP_ERROR},
 * {@link Netif#RSP_DROPPED}, or {@link Netif#RSP_NULL} for a slot that held an extra-info.
 */
public final class TxResponse {
    public static final int ID_OFFSET = 0;
    public static final int STATUS_OFFSET = 2;
    /** {@code sizeof(struct netif_tx_response)}. */
    public static final int LENGTH = 4;

    private int id;
    private int status;

    /** Writes a response with one 4-byte store. */
    public static void write(MutableDirectBuffer buffer, int at, int id, int status) {
        buffer.putInt(at, (id & 0xffff) | status << 16, LITTLE_ENDIAN);
    }

    /** Copies a response out of the ring with one load (the frontend's side). */
    public TxResponse readFrom(DirectBuffer buffer, int at) {
        int word = buffer.getInt(at, LITTLE_ENDIAN);
        id = word & 0xffff;
        status = word >> 16;
        return this;
    }

    public int id() {
        return id;
    }

    /** Signed status. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "TxResponse{id=" + id + ", status=" + status + '}';
    }
}
