package org.xnb.grant.netif;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code struct xen_netif_ctrl_request}: a control-ring request (hash configuration for
 * multi-queue). Mutable and reused; {@link #readFrom} copies the slot with two 8-byte loads
 * (XSA-155; XSA-270 was about trusting these values).
 *
 * <pre>
 *   0         2         4                   8                   12                  16
 *   +---------+---------+-------------------+-------------------+-------------------+
 *   | id  u16 |type u16 | data[0]       u32 | data[1]       u32 | data[2]       u32 |
 *   +---------+---------+-------------------+-------------------+-------------------+
 * </pre>
 *
 * {@code type} is a {@code NetifCtrl.TYPE_*}; the meaning of {@code data} depends on it.
 */
public final class CtrlRequest {
    public static final int ID_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int DATA_OFFSET = 4;
    public static final int DATA_COUNT = 3;
    /** {@code sizeof(struct xen_netif_ctrl_request)}. */
    public static final int LENGTH = 16;

    private int id;
    private int type;
    private int data0;
    private int data1;
    private int data2;

    public CtrlRequest readFrom(DirectBuffer buffer, int at) {
        long low = buffer.getLong(at, LITTLE_ENDIAN);
        long high = buffer.getLong(at + 8, LITTLE_ENDIAN);
        id = (int) low & 0xffff;
        type = (int) (low >>> 16) & 0xffff;
        data0 = (int) (low >>> 32);
        data1 = (int) high;
        data2 = (int) (high >>> 32);
        return this;
    }

    /** Writes a request with two 8-byte stores (the frontend's side). */
    public static void write(MutableDirectBuffer buffer, int at, int id, int type, int data0, int data1, int data2) {
        buffer.putLong(at, (id & 0xffff) | (long) (type & 0xffff) << 16 | (long) data0 << 32, LITTLE_ENDIAN);
        buffer.putLong(at + 8, (data1 & 0xffff_ffffL) | (long) data2 << 32, LITTLE_ENDIAN);
    }

    public int id() {
        return id;
    }

    public int type() {
        return type;
    }

    /** {@code data[i]} (u32), i in 0..2. */
    public int data(int i) {
        switch (i) {
            case 0:
                return data0;
            case 1:
                return data1;
            case 2:
                return data2;
            default:
                throw new IndexOutOfBoundsException("data index " + i + " of " + DATA_COUNT);
        }
    }

    @Override
    public String toString() {
        return "CtrlRequest{id=" + id + ", type=" + type + ", data=[" + Integer.toUnsignedString(data0) + ", "
                + Integer.toUnsignedString(data1) + ", " + Integer.toUnsignedString(data2) + "]}";
    }
}
