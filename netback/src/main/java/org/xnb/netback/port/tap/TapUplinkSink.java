package org.xnb.netback.port.tap;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.vnic.tap.TapException;
import org.xnb.vnic.tap.TapQueue;

/**
 * Guest -> TAP: a {@link FrameSink} that writes each frame to one TAP queue behind a virtio-net
 * header built from its {@link FrameMetadata} ({@link VnetHeaderEncoder}), so dom0's kernel gets
 * the guest's GSO super-frames and partial checksums as they are and segments or checksums only if
 * and where it must (as Linux netback's skbs with gso_size and CHECKSUM_PARTIAL).
 *
 * <pre>
 *   writev(fd, iov[2])
 *   iov[0] -> scratch header (12 B, preallocated, rewritten per frame)
 *   iov[1] -> the frame where the Tx engine left it (never copied)
 * </pre>
 *
 * A frame the kernel will not take (EAGAIN: the device's queue is full; EINVAL: headers it rejects;
 * EIO: link down) is dropped and counted, like a full qdisc; nothing is retried. One thread (the
 * queue's scratch iovecs are not shared); nothing allocated per frame.
 */
public final class TapUplinkSink implements FrameSink {
    private final TapQueue queue;
    private final int headerSize;
    private final UnsafeBuffer header = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    private final long headerAddress = header.addressOffset();
    private final TapPortCounters counters = new TapPortCounters();
    private final VnetHeaderEncoder encoder = new VnetHeaderEncoder(counters);

    public TapUplinkSink(TapQueue queue) {
        this.queue = queue;
        this.headerSize = queue.vnetHeaderSize();
    }

    @Override
    public void onFrame(long address, int length, FrameMetadata metadata) {
        if (!encoder.encode(header, 0, headerSize, address, length, metadata)) {
            return;
        }
        int written;
        try {
            written = queue.writev(headerAddress, address, length);
        } catch (TapException e) {
            written = 0;
        }
        if (written == 0) {
            counters.dropsTapWrite++;
            return;
        }
        counters.frames++;
        counters.bytes += length;
    }

    public TapPortCounters counters() {
        return counters;
    }

    public TapQueue queue() {
        return queue;
    }
}
