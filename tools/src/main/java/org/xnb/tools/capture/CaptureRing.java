package org.xnb.tools.capture;

import java.nio.ByteBuffer;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded, lossy, single-producer single-consumer ring of captured frames, off-heap.
 *
 * <p>The producer (a lane thread) calls {@link #offer}: it copies the frame's first
 * {@code snaplen} bytes into the next free slot with a small header (timestamp, original and
 * captured length) and publishes the slot with an ordered write. It never blocks, never allocates
 * and does bounded work: when every slot is taken the frame is not captured and
 * {@link #dropped()} counts it. The consumer (the capture writer thread) calls {@link #drain}.
 *
 * <p>Slots are fixed size (16-byte header + snaplen rounded up to 8), so a slot index is a
 * position mask; the producer and consumer positions live on their own cache lines.
 */
public final class CaptureRing {
    static final int HEADER = 16; // timestamp nanos (8), original length (4), captured length (4)
    private static final int PAD = 128;
    private static final int PRODUCER = PAD; // long: slots published
    private static final int DROPS = PAD + 8; // long: frames not captured (written by the producer only)
    private static final int CONSUMER = 3 * PAD; // long: slots consumed
    private static final int COUNTERS = 5 * PAD;

    private final int slots;
    private final int mask;
    private final int snaplen;
    private final int slotSize;
    private final UnsafeBuffer data;
    private final UnsafeBuffer counters;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0); // the consumer's window onto a slot
    private volatile boolean closed;

    /**
     * @param slots a power of two, the most frames in flight
     * @param snaplen bytes kept of each frame
     */
    public CaptureRing(int slots, int snaplen) {
        if (!BitUtil.isPowerOfTwo(slots) || slots < 2 || slots > (1 << 20)) {
            throw new IllegalArgumentException("slots " + slots + " must be a power of two in 2..2^20");
        }
        if (snaplen < 14 || snaplen > 65_535 + 18) {
            throw new IllegalArgumentException("snaplen " + snaplen + " must be 14..65553");
        }
        this.slots = slots;
        this.mask = slots - 1;
        this.snaplen = snaplen;
        this.slotSize = BitUtil.align(HEADER + snaplen, 8);
        if ((long) slots * slotSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(slots + " slots of " + slotSize + " bytes do not fit in 2 GiB");
        }
        this.data = new UnsafeBuffer(ByteBuffer.allocateDirect(slots * slotSize));
        this.counters = new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTERS));
    }

    public int snaplen() {
        return snaplen;
    }

    public int capacity() {
        return slots;
    }

    /**
     * Captures one frame (producer thread only). Returns false, counting a drop, when the ring is
     * full; returns false without counting once the ring is {@link #close closed}.
     */
    public boolean offer(DirectBuffer frame, int offset, int length, long timestampNanos) {
        if (closed) {
            return false;
        }
        long produced = counters.getLong(PRODUCER); // only this thread writes it
        if (produced - counters.getLongVolatile(CONSUMER) >= slots) {
            counters.putLongOrdered(DROPS, counters.getLong(DROPS) + 1);
            return false;
        }
        int at = (int) (produced & mask) * slotSize;
        int captured = Math.min(length, snaplen);
        data.putLong(at, timestampNanos);
        data.putInt(at + 8, length);
        data.putInt(at + 12, captured);
        data.putBytes(at + HEADER, frame, offset, captured);
        counters.putLongOrdered(PRODUCER, produced + 1);
        return true;
    }

    /** Receives drained frames; {@code frame} is valid only during the call. */
    @FunctionalInterface
    public interface FrameHandler {
        void onFrame(long timestampNanos, int originalLength, DirectBuffer frame, int offset, int capturedLength);
    }

    /** Hands up to {@code limit} published frames to {@code handler} (consumer thread only); returns how many. */
    public int drain(FrameHandler handler, int limit) {
        long consumed = counters.getLong(CONSUMER);
        long available = counters.getLongVolatile(PRODUCER) - consumed;
        int n = (int) Math.min(available, limit);
        for (int i = 0; i < n; i++) {
            int at = (int) ((consumed + i) & mask) * slotSize;
            int captured = data.getInt(at + 12);
            view.wrap(data, at + HEADER, captured);
            handler.onFrame(data.getLong(at), data.getInt(at + 8), view, 0, captured);
        }
        if (n > 0) {
            counters.putLongOrdered(CONSUMER, consumed + n);
        }
        return n;
    }

    /** Frames captured into the ring so far. */
    public long offered() {
        return counters.getLongVolatile(PRODUCER);
    }

    /** Frames lost because the ring was full. */
    public long dropped() {
        return counters.getLongVolatile(DROPS);
    }

    /** Frames published and not yet drained. */
    public long backlog() {
        return counters.getLongVolatile(PRODUCER) - counters.getLongVolatile(CONSUMER);
    }

    /** After this, {@link #offer} captures nothing (the session ended); frames in the ring can still be drained. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    MutableDirectBuffer dataForTest() {
        return data;
    }
}
