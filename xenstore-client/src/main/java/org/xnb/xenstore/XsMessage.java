package org.xnb.xenstore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One xenstore message: header fields plus payload. Immutable; {@link #typeCode()} keeps the raw
 * value so that a server can answer unknown types.
 */
public final class XsMessage {
    private static final byte[] EMPTY = new byte[0];

    private final int typeCode;
    private final int reqId;
    private final int txId;
    private final byte[] payload;

    public XsMessage(int typeCode, int reqId, int txId, byte[] payload) {
        this.typeCode = typeCode;
        this.reqId = reqId;
        this.txId = txId;
        this.payload = payload == null ? EMPTY : payload;
    }

    public XsMessage(XsType type, int reqId, int txId, byte[] payload) {
        this(type.code(), reqId, txId, payload);
    }

    /** A message whose payload is the given strings, each followed by a NUL. */
    public static XsMessage ofStrings(XsType type, int reqId, int txId, String... parts) {
        return new XsMessage(type, reqId, txId, nulJoined(parts));
    }

    public int typeCode() {
        return typeCode;
    }

    /** The type, or {@code null} when the code is not one of {@link XsType}. */
    public XsType type() {
        return XsType.fromCode(typeCode);
    }

    public int reqId() {
        return reqId;
    }

    public int txId() {
        return txId;
    }

    /** The payload bytes; callers must not modify the array. */
    public byte[] payload() {
        return payload;
    }

    /** The payload as one string with at most one trailing NUL removed. */
    public String payloadString() {
        int n = payload.length;
        if (n > 0 && payload[n - 1] == 0) {
            n--;
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The NUL-terminated strings of the payload. Bytes after the last NUL (an unterminated tail)
     * are returned as a last element only when {@code keepTail} is set.
     */
    public List<String> payloadStrings(boolean keepTail) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (keepTail && start < payload.length) {
            out.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Writes header and payload into {@code dst} (little-endian), which must have room. */
    public void writeTo(ByteBuffer dst) {
        ByteOrder old = dst.order();
        dst.order(ByteOrder.LITTLE_ENDIAN);
        dst.putInt(typeCode).putInt(reqId).putInt(txId).putInt(payload.length).put(payload);
        dst.order(old);
    }

    /** Header and payload as one array. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(XsWire.HEADER_SIZE + payload.length);
        writeTo(b);
        return b.array();
    }

    /** Strings joined with a NUL after each, as most requests are encoded. */
    public static byte[] nulJoined(String... parts) {
        int len = 0;
        byte[][] enc = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            enc[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            len += enc[i].length + 1;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (byte[] e : enc) {
            System.arraycopy(e, 0, out, pos, e.length);
            pos += e.length + 1;
        }
        return out;
    }

    @Override
    public String toString() {
        XsType t = type();
        return (t == null ? "type#" + typeCode : t.name()) + "{req=" + reqId + ", tx=" + txId
                + ", len=" + payload.length + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XsMessage m && m.typeCode == typeCode && m.reqId == reqId
                && m.txId == txId && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * typeCode + reqId) + txId) + Arrays.hashCode(payload);
    }
}
