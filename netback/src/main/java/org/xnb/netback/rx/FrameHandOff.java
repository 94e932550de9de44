package org.xnb.netback.rx;

import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;

/**
 * A bounded many-producers, one-consumer hand-off of frames between threads: any thread
 * {@link #offer}s (copies the frame into preallocated off-heap memory, or counts a drop when the
 * bound is reached), one thread {@link #drain}s into a {@link FrameSink}. It is the Rx engine's
 * queue ({@link RxFrameQueue} behind a {@link ProducerGate}) without the guest ring, for a port
 * whose writer must stay on one thread (a TAP queue's scratch iovecs).
 *
 * <p>Bound: {@code maxBytes} queued (a frame is refused once that much waits) and
 * {@code frameCapacity} frames. Nothing is allocated per frame; the consumer never takes the gate.
 * The GSO and checksum fields of {@link FrameMetadata} cross; the hash does not.
 */
public final class FrameHandOff implements FrameSink {
    private final ProducerGate gate = new ProducerGate();
    private final RxFrameQueue queue;
    private final FrameMetadata metadata = new FrameMetadata();
    private long dropped; // written inside the gate only

    /** {@code frameCapacity}: a power of two. */
    public FrameHandOff(int maxBytes, int frameCapacity) {
        this.queue = new RxFrameQueue(maxBytes, RxEngine.MAX_FRAME_BYTES, frameCapacity);
    }

    /** Any thread: copies the frame in; false (and counted) when the hand-off is full or it is too big. */
    public boolean offer(long address, int length, FrameMetadata meta) {
        gate.enter();
        try {
            boolean ok = length <= RxEngine.MAX_FRAME_BYTES && queue.offer(address, length, meta, 0);
            if (!ok) {
                dropped++;
            }
            return ok;
        } finally {
            gate.leave();
        }
    }

    @Override
    public void onFrame(long address, int length, FrameMetadata meta) {
        offer(address, length, meta);
    }

    /** The consumer thread: hands at most {@code max} frames to {@code sink}, oldest first; returns how many. */
    public int drain(FrameSink sink, int max) {
        int n = Math.min(queue.size(), max);
        for (int k = 0; k < n; k++) {
            int i = queue.index(k);
            metadata.reset().gso(queue.gsoType(i), queue.gsoSize(i)).checksum(queue.checksum(i));
            sink.onFrame(queue.address(i), queue.length(i), metadata);
        }
        if (n > 0) {
            queue.release(n);
        }
        return n;
    }

    /** The consumer thread: drops every queued frame; returns how many. */
    public int purge() {
        int n = queue.size();
        if (n > 0) {
            queue.release(n);
        }
        return n;
    }

    /** Frames waiting (approximate from a producer's side). */
    public int size() {
        return queue.size();
    }

    /** Frames refused because the hand-off was full (a recent value). */
    public long dropped() {
        return dropped;
    }
}
