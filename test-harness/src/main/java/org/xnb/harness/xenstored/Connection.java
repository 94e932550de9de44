package org.xnb.harness.xenstored;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsMessageReader;
import org.xnb.xenstore.XsType;
import org.xnb.xenstore.XsWire;

/**
 * One client connection and everything C keeps per {@code struct connection}: the domain it
 * acts as, its partly read request, its queue of replies and events not yet written, its
 * watches and its open transactions. Used only on the event-loop thread.
 *
 * <p>The output queue is bounded ({@link XenstoredConfig#maxQueuedReplies()}): when a client
 * does not read and the queue is full, {@link #enqueue} reports overflow and the server drops
 * the connection instead of buffering without limit.
 */
final class Connection {
    private final long serial;
    private final SocketChannel channel;
    private final Caller caller;
    private final int maxQueued;
    private final XsMessageReader reader = new XsMessageReader();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Map<Integer, Transaction> transactions = new HashMap<>();
    private int nextTransactionId;
    private boolean overflowed;

    Connection(long serial, SocketChannel channel, Caller caller, int maxQueued) {
        this.serial = serial;
        this.channel = channel;
        this.caller = caller;
        this.maxQueued = maxQueued;
    }

    long serial() {
        return serial;
    }

    SocketChannel channel() {
        return channel;
    }

    Caller caller() {
        return caller;
    }

    XsMessageReader reader() {
        return reader;
    }

    List<Watch> watches() {
        return watches;
    }

    Map<Integer, Transaction> transactions() {
        return transactions;
    }

    /** C's id allocation in {@code do_transaction_start}: never 0, never one in use. */
    int allocateTransactionId() {
        do {
            nextTransactionId++;
        } while (nextTransactionId == 0 || transactions.containsKey(nextTransactionId));
        return nextTransactionId;
    }

    /** A reply to a request: header copied from the request as C's {@code send_reply} does. */
    void reply(XsMessage request, XsType type, byte[] payload) {
        enqueue(new XsMessage(type.code(), request.reqId(), request.txId(), payload));
    }

    /** C's {@code add_event}: {@code path\0token\0}; over-long events are not sent. */
    void event(String path, String token) {
        byte[] p = Payload.nulJoined(List.of(path, token));
        if (p.length > XsWire.PAYLOAD_MAX) {
            return;
        }
        enqueue(new XsMessage(XsType.WATCH_EVENT, 0, 0, p));
    }

    private void enqueue(XsMessage m) {
        if (overflowed) {
            return;
        }
        if (out.size() >= maxQueued) {
            overflowed = true;
            out.clear();
            return;
        }
        out.add(ByteBuffer.wrap(m.toBytes()));
    }

    /** True once a message could not be queued: the connection must be dropped. */
    boolean overflowed() {
        return overflowed;
    }

    int queued() {
        return out.size();
    }

    /**
     * Writes as much of the queue as the socket takes without blocking.
     *
     * @return true when the queue is empty
     */
    boolean flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer b = out.peek();
            channel.write(b);
            if (b.hasRemaining()) {
                return false;
            }
            out.poll();
        }
        return true;
    }

    @Override
    public String toString() {
        return "connection#" + serial + "(dom" + caller.domid() + ")";
    }
}
