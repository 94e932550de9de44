package org.xnb.netback.port.tap;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.vnic.tap.FdPoller;
import org.xnb.vnic.tap.TapQueue;

/**
 * Two TAP queues joined through the port in both directions: {@code TapUplinkReader(A)} ->
 * FrameMetadata -> {@code TapUplinkSink(B)}, and back. Unlike vnic's TapBridge, the virtio-net
 * header does not cross: it is translated into FrameMetadata (as a guest would see it) and a new
 * header is built from that metadata and the frame's own headers. A recorder between the two
 * checks what the metadata said about every frame. One thread.
 */
final class TranslatingBridge implements AutoCloseable {
    /** What went one way, as FrameMetadata. */
    static final class Direction implements FrameSink {
        final TapUplinkSink out;
        final int mtu;
        final AtomicLong gsoOverMtu = new AtomicLong();
        final AtomicLong gsoTcpv4 = new AtomicLong();
        final AtomicLong gsoTcpv6 = new AtomicLong();
        final AtomicLong badGsoSize = new AtomicLong();
        final AtomicLong gsoWithoutPartialChecksum = new AtomicLong();
        final AtomicLong partialNotGso = new AtomicLong();
        final AtomicLong largest = new AtomicLong();
        /** Non-GSO partial-checksum frames whose field at our csum_start + csum_offset holds the pseudo-header sum. */
        final AtomicLong pseudoHeaderAtOurOffset = new AtomicLong();
        final AtomicLong pseudoHeaderElsewhere = new AtomicLong();
        private final ChecksumSetup setup = new ChecksumSetup();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

        /** Guest-like GSO frames: no CSUM_BLANK and a zeroed checksum field, so the sink must rebuild it. */
        volatile boolean zeroGsoChecksums;
        final AtomicLong gsoChecksumsZeroed = new AtomicLong();

        Direction(TapUplinkSink out, int mtu) {
            this.out = out;
            this.mtu = mtu;
        }

        @Override
        public void onFrame(long address, int length, FrameMetadata m) {
            if (m.isGso()) {
                (m.gsoType() == VnetHeaderEncoder.XEN_GSO_TCPV4 ? gsoTcpv4 : gsoTcpv6).incrementAndGet();
                if (length > mtu + 14) {
                    gsoOverMtu.incrementAndGet();
                }
                if (m.gsoSize() < 500 || m.gsoSize() > mtu - 40) {
                    badGsoSize.incrementAndGet();
                }
                if (!m.csumBlank()) {
                    gsoWithoutPartialChecksum.incrementAndGet();
                }
            } else if (m.csumBlank()) {
                partialNotGso.incrementAndGet();
                checkPseudoHeader(address, length);
            }
            if (zeroGsoChecksums && m.isGso() && setup.setup(address, length) == null) {
                view.wrap(address, length);
                view.putShort(setup.csumStart() + setup.csumOffset(), (short) 0);
                m.checksum(m.checksum() & ~FrameMetadata.CSUM_BLANK);
                gsoChecksumsZeroed.incrementAndGet();
            }
            if (length > largest.get()) {
                largest.set(length);
            }
            out.onFrame(address, length, m);
        }

        /**
         * The sending kernel left ~csum_tcpudp_magic(...) (the folded pseudo-header sum) in the real
         * checksum field of a CHECKSUM_PARTIAL frame; finding exactly that value where our parser
         * says the field is proves csum_start/csum_offset on real traffic. (The receiving stack
         * cannot prove it: it trusts CHECKSUM_PARTIAL frames on local delivery.)
         */
        private void checkPseudoHeader(long address, int length) {
            if (setup.setup(address, length) != null) {
                pseudoHeaderElsewhere.incrementAndGet();
                return;
            }
            view.wrap(address, length);
            int l3 = setup.l3Offset();
            long sum = setup.ipVersion() == 4 ? TestFrames.sum(view, l3 + 12, 8) : TestFrames.sum(view, l3 + 8, 32);
            sum += setup.l4Protocol() + (length - setup.csumStart());
            int field = view.getShort(setup.csumStart() + setup.csumOffset(), ByteOrder.BIG_ENDIAN) & 0xffff;
            (field == TestFrames.fold(sum) ? pseudoHeaderAtOurOffset : pseudoHeaderElsewhere).incrementAndGet();
        }
    }

    final TapUplinkReader readerA;
    final TapUplinkReader readerB;
    final Direction aToB;
    final Direction bToA;
    private final TapQueue a;
    private final TapQueue b;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    TranslatingBridge(TapQueue a, TapQueue b, int mtu) {
        this.a = a;
        this.b = b;
        this.aToB = new Direction(new TapUplinkSink(b), mtu);
        this.bToA = new Direction(new TapUplinkSink(a), mtu);
        this.readerA = new TapUplinkReader(a, aToB, 64);
        this.readerB = new TapUplinkReader(b, bToA, 64);
        this.thread = new Thread(this::run, "translating-bridge " + a.deviceName() + "<->" + b.deviceName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        FdPoller poller = FdPoller.of(a, b);
        try {
            while (running) {
                if (poller.poll(50) == 0) {
                    continue;
                }
                if (poller.readable(0)) {
                    readerA.doWork();
                }
                if (poller.readable(1)) {
                    readerB.doWork();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Bytes the bridge thread has allocated so far (HotSpot's per-thread counter). */
    long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(thread.getId());
    }

    Throwable failure() {
        return failure;
    }

    /** Stops the thread; afterwards the plain-long counters may be read safely (join). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("bridge thread did not stop: " + thread.getName());
        }
    }
}
