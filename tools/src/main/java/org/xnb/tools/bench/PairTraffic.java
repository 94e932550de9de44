package org.xnb.tools.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.vnic.tap.FdPoller;

/**
 * One sender guest and one receiver guest of {@code xnb bench lanes}, driven by one thread as
 * two netfronts would be: the sender puts numbered 64-byte frames addressed to the receiver on
 * its Tx ring, the receiver takes them from its Rx ring and checks every one (in order, none
 * missing, every byte as sent) and reposts its buffers. Flow control: at most {@link #WINDOW}
 * frames in flight, so no queue in the backend can overflow and every frame must arrive. With
 * nothing to do the thread re-arms both rings' response events and sleeps in poll(2) on both
 * guests' event channels, as an interrupt-driven guest kernel does. Nothing allocated per frame.
 */
final class PairTraffic implements AutoCloseable {
    static final int FRAME_BYTES = 64;
    /** The Tx ring's size: the sender may fill its ring, and B's Rx queue holds far more 64 B frames. */
    static final int WINDOW = 256;
    private static final int BATCH = 64;
    private static final int ETHERTYPE = 0x88b5; // IEEE local experimental
    private static final int POLL_MS = 100;

    private final BenchGuest from;
    private final BenchGuest to;
    private final NetfrontDevice tx;
    private final NetfrontDevice rx;
    private final UnsafeBuffer out;
    private final UnsafeBuffer in;
    private final FdPoller events;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean sending = true;
    private volatile boolean running = true;
    private volatile String failure;

    PairTraffic(BenchGuest from, BenchGuest to) {
        this.from = from;
        this.to = to;
        this.tx = from.device();
        this.rx = to.device();
        this.out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_BYTES, 64));
        this.in = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
        this.events = new FdPoller(tx.eventFd(), rx.eventFd());
        this.thread = new Thread(this::run, "bench-pair-" + from.domid() + "-" + to.domid());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            rx.refillRx();
            while (running) {
                tx.drainEvents();
                rx.drainEvents();
                int work = tx.reapTx() + receive();
                rx.refillRx();
                work += send();
                if (work == 0) {
                    boolean a = tx.finalCheck();
                    boolean b = rx.finalCheck();
                    if (!a && !b) {
                        events.poll(POLL_MS);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e.toString();
        }
    }

    private int send() {
        if (!sending) {
            return 0;
        }
        int n = 0;
        long s = sent.get();
        while (n < BATCH && s - received.get() < WINDOW && tx.canSend(FRAME_BYTES, false)) {
            fill(out, to.mac(), from.mac(), s);
            tx.send(out, 0, FRAME_BYTES, 0, ExtraInfo.GSO_TYPE_NONE, 0);
            s++;
            n++;
        }
        if (n > 0) {
            sent.lazySet(s);
            tx.pushTx();
        }
        return n;
    }

    private int receive() {
        int n = 0;
        long r = received.get();
        for (; n < BATCH; n++) {
            int length = rx.receive(in, 0, in.capacity());
            if (length == 0) {
                break;
            }
            if (failure == null && !intact(in, length, to.mac(), from.mac(), r)) {
                failure = "guest " + to.domid() + ": frame " + r + " from guest " + from.domid()
                        + " arrived out of order, damaged or dropped (length " + length + ")";
            }
            r++;
        }
        if (n > 0) {
            received.lazySet(r);
        }
        return n;
    }

    /** Frame {@code seq}: destination, source, EtherType, the sequence number, then a pattern of it. */
    static void fill(UnsafeBuffer b, long dst, long src, long seq) {
        putMac(b, 0, dst);
        putMac(b, 6, src);
        b.putByte(12, (byte) (ETHERTYPE >>> 8));
        b.putByte(13, (byte) ETHERTYPE);
        b.putLong(14, seq);
        for (int i = 22; i < FRAME_BYTES; i++) {
            b.putByte(i, (byte) (seq * 31 + i));
        }
    }

    static boolean intact(UnsafeBuffer b, int length, long dst, long src, long seq) {
        if (length != FRAME_BYTES || getMac(b, 0) != dst || getMac(b, 6) != src || b.getLong(14) != seq
                || (b.getByte(12) & 0xff) != ETHERTYPE >>> 8 || (b.getByte(13) & 0xff) != (ETHERTYPE & 0xff)) {
            return false;
        }
        for (int i = 22; i < FRAME_BYTES; i++) {
            if (b.getByte(i) != (byte) (seq * 31 + i)) {
                return false;
            }
        }
        return true;
    }

    private static void putMac(UnsafeBuffer b, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            b.putByte(at + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }

    private static long getMac(UnsafeBuffer b, int at) {
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = m << 8 | (b.getByte(at + i) & 0xff);
        }
        return m;
    }

    /** Frames the receiver has taken, checked, so far. */
    long received() {
        return received.get();
    }

    long sent() {
        return sent.get();
    }

    /**
     * Stops sending and waits (at most {@code waitMs}) until every frame sent has arrived.
     *
     * @return null if all arrived intact, else what went wrong
     */
    String stopAndDrain(long waitMs) throws InterruptedException {
        sending = false;
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (received.get() < sent.get() && failure == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        running = false;
        thread.join(POLL_MS * 10L);
        if (failure != null) {
            return failure;
        }
        if (received.get() != sent.get()) {
            return "guest " + to.domid() + " received " + received.get() + " of " + sent.get() + " frames";
        }
        if (tx.txErrors() + rx.rxErrors() > 0) {
            return "ring errors: Tx " + tx.txErrors() + ", Rx " + rx.rxErrors();
        }
        if (sent.get() == 0) {
            return "guest " + from.domid() + " sent nothing";
        }
        return null;
    }

    @Override
    public void close() {
        sending = false;
        running = false;
        try {
            thread.join(POLL_MS * 10L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
