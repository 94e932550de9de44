package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct xen_netif_ctrl_response}, in a 16-byte control-ring slot. Responses may be
 * returned in any order; {@code id} and {@code type} echo the request.
 *
 * <pre>
 *   0         2         4                   8                   12        16
 *   +---------+---------+-------------------+-------------------+---------+
 *   | id  u16 |type u16 | status        u32 | data          u32 | (slot)  |
 *   +---------+---------+-------------------+-------------------+---------+
 * </pre>
 */
public final class CtrlResponse {
    public static final int ID_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int STATUS_OFFSET = 4;
    public static final int DATA_OFFSET = 8;
    /** {@code sizeof(struct xen_netif_ctrl_response)}. */
    public static final int LENGTH = 12;

    private int id;
    private int type;
    private int status;
    private int data;

    /** Writes a response: one 8-byte and one 4-byte store. */
    public static void write(MutableDirectBuffer buffer, int at, int id, int type, int status, int data) {
        buffer.putLong(at, (id & 0xffff) | (long) (type & 0xffff) << 16 | (long) status << 32, LITTLE_ENDIAN);
        buffer.putInt(at + DATA_OFFSET, data, LITTLE_ENDIAN);
    }

    /** Copies a response out (the frontend's side). */
    public CtrlResponse readFrom(DirectBuffer buffer, int at) {
        long low = buffer.getLong(at, LITTLE_ENDIAN);
        int high = buffer.getInt(at + DATA_OFFSET, LITTLE_ENDIAN);
        id = (int) low & 0xffff;
        type = (int) (low >>> 16) & 0xffff;
        status = (int) (low >>> 32);
        data = high;
        return this;
    }

    public int id() {
        return id;
    }

    public int type() {
        return type;
    }

    /** {@code NetifCtrl.STATUS_*}. */
    public int status() {
        return status;
    }

    public int data() {
        return data;
    }

    @Override
    public String toString() {
        return "CtrlResponse{id=" + id + ", type=" + type + ", status=" + status + ", data="
                + Integer.toUnsignedString(data) + '}';
    }
}
