package org.xnb.netback.port.tap;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.vnic.tap.TapQueue;

/**
 * TAP -> guest: reads frames from one TAP queue into one preallocated buffer and hands each to a
 * {@link FrameSink} (a guest's Rx engine, a switch) with its virtio-net header translated into
 * {@link FrameMetadata} ({@link VnetHeaderDecoder}).
 *
 * <pre>
 *   buffer (TapQueue.MIN_READ_CAPACITY + 64 B, off-heap, reused)
 *   +-----------------+-------------------------------- ... --+
 *   | vnet hdr 10/12  | Ethernet frame (up to 64 KiB GSO)       |
 *   +-----------------+-------------------------------- ... --+
 *   sink.onFrame(buffer + hdr, n - hdr, metadata)   valid only during the call
 * </pre>
 *
 * An Agrona-style agent: {@link #doWork()} reads at most {@code batch} frames (non-blocking) and
 * returns how many it read; the caller polls the fd ({@link TapQueue#awaitReadable}, an
 * {@code FdPoller}) when it returns 0. One thread; nothing allocated per frame.
 */
public final class TapUplinkReader {
    /** Largest frame the kernel hands us with TSO on, plus room to see truncation. */
    public static final int BUFFER_SIZE = TapQueue.MIN_READ_CAPACITY + 64;

    private final TapQueue queue;
    private final FrameSink sink;
    private final int batch;
    private final int headerSize;
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_SIZE, 64));
    private final long address = buffer.addressOffset();
    private final FrameMetadata metadata = new FrameMetadata();
    private final TapPortCounters counters = new TapPortCounters();
    private final VnetHeaderDecoder decoder = new VnetHeaderDecoder(counters);

    /** {@code batch}: frames per {@link #doWork()} call, 1..4096 (a bound so that one busy fd cannot starve others). */
    public TapUplinkReader(TapQueue queue, FrameSink sink, int batch) {
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("batch must be 1..4096: " + batch);
        }
        this.queue = queue;
        this.sink = sink;
        this.batch = batch;
        this.headerSize = queue.vnetHeaderSize();
    }

    /** Reads and hands on up to {@code batch} frames; returns the frames read (dropped ones included). */
    public int doWork() {
        int read = 0;
        while (read < batch) {
            int n = queue.read(address, BUFFER_SIZE);
            if (n == 0) {
                break;
            }
            read++;
            handle(n);
        }
        return read;
    }

    private void handle(int n) {
        int length = n - headerSize;
        if (n >= BUFFER_SIZE) {
            counters.dropsTruncated++;
            return;
        }
        if (length < ChecksumSetup.ETH_HLEN) {
            counters.dropsRunt++;
            return;
        }
        if (!decoder.decode(buffer, 0, metadata)) {
            return;
        }
        counters.frames++;
        counters.bytes += length;
        sink.onFrame(address + headerSize, length, metadata);
    }

    public TapPortCounters counters() {
        return counters;
    }

    public TapQueue queue() {
        return queue;
    }
}
