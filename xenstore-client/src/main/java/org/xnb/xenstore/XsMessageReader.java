package org.xnb.xenstore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reassembles messages from a byte stream that arrives in arbitrary pieces. Used by both ends:
 * the client's reader thread and the harness xenstored's event loop. A header announcing more
 * than {@link XsWire#PAYLOAD_MAX} bytes is a protocol violation: the stream cannot be trusted
 * after it, so {@link #next} throws and the caller drops the connection (as C xenstored does).
 */
public final class XsMessageReader {
    private final ByteBuffer header = ByteBuffer.allocate(XsWire.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] payload;
    private int payloadPos;
    private int type;
    private int reqId;
    private int txId;

    /** Thrown when the peer violates the framing; the connection must be closed. */
    public static final class ProtocolViolation extends Exception {
        private static final long serialVersionUID = 1L;

        public ProtocolViolation(String message) {
            super(message);
        }
    }

    /**
     * Consumes bytes from {@code src} until one message is complete or {@code src} is empty.
     *
     * @return the completed message, or {@code null} if more bytes are needed
     */
    public XsMessage next(ByteBuffer src) throws ProtocolViolation {
        if (payload == null) {
            while (header.hasRemaining() && src.hasRemaining()) {
                header.put(src.get());
            }
            if (header.hasRemaining()) {
                return null;
            }
            type = header.getInt(XsWire.TYPE_OFFSET);
            reqId = header.getInt(XsWire.REQ_ID_OFFSET);
            txId = header.getInt(XsWire.TX_ID_OFFSET);
            int len = header.getInt(XsWire.LEN_OFFSET);
            if (len < 0 || len > XsWire.PAYLOAD_MAX) {
                throw new ProtocolViolation("message length " + Integer.toUnsignedString(len)
                        + " exceeds XENSTORE_PAYLOAD_MAX " + XsWire.PAYLOAD_MAX);
            }
            payload = new byte[len];
            payloadPos = 0;
        }
        int n = Math.min(src.remaining(), payload.length - payloadPos);
        src.get(payload, payloadPos, n);
        payloadPos += n;
        if (payloadPos < payload.length) {
            return null;
        }
        XsMessage m = new XsMessage(type, reqId, txId, payload);
        payload = null;
        header.clear();
        return m;
    }

    /** True when part of a message has been read but not all of it. */
    public boolean midMessage() {
        return payload != null || header.position() > 0;
    }
}
