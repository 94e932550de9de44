package org.xnb.netback.rx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.UnsafeAccess;
import org.xnb.netback.FrameMetadata;

/**
 * The frames waiting for a guest's Rx buffers (Linux {@code queue->rx_queue}), in preallocated
 * off-heap memory: one producer at a time (whoever offers frames from the world; several
 * producers take turns through {@link ProducerGate}) and one consumer (the Rx engine),
 * lock-free between the two sides, nothing allocated per frame. Also a flow's backlog of deferred
 * frames ({@code netback.flow}), where the lane is both sides.
 *
 * <pre>
 *  data arena (contiguous frames, 64-byte aligned, wrapping to 0 when the tail is too short)
 *  +--------+---------+------------------+-------------+-----------+-----------+
 *  | free   | frame h | frame h+1        | frame h+2   | ... t-1   | free      |
 *  +--------+---------+------------------+-------------+-----------+-----------+
 *  frame table, frameCapacity entries indexed by (frame number & mask):
 *     offset | length | enqueuedNs | gsoType | gsoSize | checksum
 * </pre>
 *
 * <p>Bound (XSA-392): a frame is refused when {@code maxBytes} or more are already queued
 * (Linux {@code xenvif_rx_queue_tail}: {@code rx_queue_len >= rx_queue_max}), so the queue never
 * holds more than {@code maxBytes + maxFrame - 1} bytes; the arena is twice that, which the
 * 64-byte rounding and the wasted tail of a wrap cannot exceed for frames of 64 bytes or more
 * (smaller frames can fill the frame table first; both are counted as "queue full").
 *
 * <p>Memory ordering: the producer writes the frame and its table entry, then publishes
 * {@code tail} and {@code tailBytes} with release stores; the consumer reads them with acquire
 * loads. The consumer releases space by publishing {@code head}/{@code headBytes} only after the
 * frames' grant copies are complete, so the producer never overwrites bytes still being copied.
 */
public final class RxFrameQueue {
    static final int ALIGN = 64;
    private static final VarHandle HEAD;
    private static final VarHandle HEAD_BYTES;
    private static final VarHandle TAIL;
    private static final VarHandle TAIL_BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RxFrameQueue.class, "head", long.class);
            HEAD_BYTES = l.findVarHandle(RxFrameQueue.class, "headBytes", long.class);
            TAIL = l.findVarHandle(RxFrameQueue.class, "tail", long.class);
            TAIL_BYTES = l.findVarHandle(RxFrameQueue.class, "tailBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long maxBytes;
    final int maxFrame;
    final int frameCapacity;
    private final int mask;
    private final ByteBuffer arena;
    final long arenaAddress;
    private final int arenaBytes;
    private final int[] offset;
    private final int[] length;
    private final long[] enqueuedNs;
    private final int[] gsoType;
    private final int[] gsoSize;
    private final int[] checksum;
    /** The receiving guest's hash of each frame (a {@code FrameHash} result, -1 = none) for a HASH extra. */
    private final long[] hash;

    // consumer-owned, published
    private long head;
    private long headBytes;
    // producer-owned, published
    private long tail;
    private long tailBytes;
    // producer-private: end of the newest frame in the arena
    private int tailPosition;

    public RxFrameQueue(int maxBytes, int maxFrame, int frameCapacity) {
        if (Integer.bitCount(frameCapacity) != 1) {
            throw new IllegalArgumentException("frame capacity must be a power of two: " + frameCapacity);
        }
        this.maxBytes = maxBytes;
        this.maxFrame = maxFrame;
        this.frameCapacity = frameCapacity;
        this.mask = frameCapacity - 1;
        this.arenaBytes = 2 * (maxBytes + maxFrame + ALIGN);
        this.arena = BufferUtil.allocateDirectAligned(arenaBytes, ALIGN);
        this.arenaAddress = BufferUtil.address(arena);
        offset = new int[frameCapacity];
        length = new int[frameCapacity];
        enqueuedNs = new long[frameCapacity];
        gsoType = new int[frameCapacity];
        gsoSize = new int[frameCapacity];
        checksum = new int[frameCapacity];
        hash = new long[frameCapacity];
    }

    /**
     * Producer: copies a frame in.
     *
     * @return false if the queue is full (bytes, frames or space)
     */
    public boolean offer(long address, int len, FrameMetadata meta, long nowNs) {
        return offer(address, len, meta, -1L, nowNs);
    }

    /** As {@link #offer(long, int, FrameMetadata, long)}, with the guest's hash for a HASH extra (-1 = none). */
    boolean offer(long address, int len, FrameMetadata meta, long guestHash, long nowNs) {
        long t = tail;
        long h = (long) HEAD.getAcquire(this);
        if (t - h >= frameCapacity) {
            return false;
        }
        if (tailBytes - (long) HEAD_BYTES.getAcquire(this) >= maxBytes) {
            return false;
        }
        int pos = place(len, t, h);
        if (pos < 0) {
            return false;
        }
        UnsafeAccess.UNSAFE.copyMemory(address, arenaAddress + pos, len);
        int i = (int) t & mask;
        offset[i] = pos;
        length[i] = len;
        enqueuedNs[i] = nowNs;
        gsoType[i] = meta.gsoType();
        gsoSize[i] = meta.gsoSize();
        checksum[i] = meta.checksum();
        hash[i] = guestHash;
        tailPosition = pos + len;
        TAIL_BYTES.setRelease(this, tailBytes + len);
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Where a frame of {@code len} bytes fits, or -1; see the class diagram. */
    private int place(int len, long t, long h) {
        int need = (len + ALIGN - 1) & -ALIGN;
        if (t == h) {
            return 0; // empty: the consumer has finished with every byte
        }
        int end = (tailPosition + ALIGN - 1) & -ALIGN;
        int oldest = offset[(int) h & mask];
        if (end > oldest) {
            if (end + need <= arenaBytes) {
                return end;
            }
            return need < oldest ? 0 : -1;
        }
        // wrapped: free space is [end, oldest); stay strictly below oldest so full != empty
        return end + need < oldest ? end : -1;
    }

    /** Consumer: frames queued (acquire). */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - head);
    }

    /** Bytes queued right now (either side). */
    public long queuedBytes() {
        return (long) TAIL_BYTES.getAcquire(this) - (long) HEAD_BYTES.getAcquire(this);
    }

    /** Consumer: the {@code n}-th frame from the head (n < size()). */
    public int index(int n) {
        return (int) (head + n) & mask;
    }

    public long address(int index) {
        return arenaAddress + offset[index];
    }

    public int length(int index) {
        return length[index];
    }

    public long enqueuedNs(int index) {
        return enqueuedNs[index];
    }

    public int gsoType(int index) {
        return gsoType[index];
    }

    public int gsoSize(int index) {
        return gsoSize[index];
    }

    public int checksum(int index) {
        return checksum[index];
    }

    /** The guest's hash of frame {@code index} ({@code FrameHash} result), or -1. */
    long hash(int index) {
        return hash[index];
    }

    /** Consumer: releases the {@code n} oldest frames (their bytes may be overwritten after this). */
    public void release(int n) {
        long bytes = 0;
        for (int k = 0; k < n; k++) {
            bytes += length[index(k)];
        }
        HEAD_BYTES.setRelease(this, headBytes + bytes);
        HEAD.setRelease(this, head + n);
    }
}
