package org.xnb.vnic.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.tap.FdPoller;
import org.xnb.vnic.tap.TapQueue;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * A two-port Java bridge between two TAP queues: every frame read from one is written to the
 * other unchanged, virtio-net header included, so GSO super-frames and partial checksums cross
 * without segmentation or checksumming in Java. One thread; one preallocated 128 KiB buffer;
 * nothing allocated per frame. Counters tell a test what went through.
 */
public final class TapBridge implements AutoCloseable {
    /** A 64 KiB GSO frame plus header fits with room to spare. */
    public static final int BUFFER_SIZE = 128 * 1024;
    /** Frames moved per readable fd per wake-up, so one busy direction cannot starve the other. */
    private static final int BATCH = 64;

    private final TapQueue a;
    private final TapQueue b;
    private final int headerSize;
    private final int mtu;
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_SIZE, 64));
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong gsoTcp4Frames = new AtomicLong();
    private final AtomicLong gsoTcp4OverMtu = new AtomicLong();
    private final AtomicLong needsCsumFrames = new AtomicLong();
    private final AtomicLong maxFrameLength = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** {@code mtu}: the links' MTU, to count frames larger than one wire frame. */
    public TapBridge(TapQueue a, TapQueue b, int mtu) {
        if (a.vnetHeaderSize() != b.vnetHeaderSize()) {
            throw new IllegalArgumentException("both sides must use the same vnet header size");
        }
        this.a = a;
        this.b = b;
        this.headerSize = a.vnetHeaderSize();
        this.mtu = mtu;
        this.thread = new Thread(this::run, "tap-bridge " + a.deviceName() + "<->" + b.deviceName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        FdPoller poller = FdPoller.of(a, b);
        long address = buffer.addressOffset();
        try {
            while (running) {
                if (poller.poll(50) == 0) {
                    continue;
                }
                if (poller.readable(0)) {
                    pump(a, b, address);
                }
                if (poller.readable(1)) {
                    pump(b, a, address);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void pump(TapQueue from, TapQueue to, long address) {
        for (int i = 0; i < BATCH; i++) {
            int n = from.read(address, BUFFER_SIZE);
            if (n == 0) {
                return;
            }
            count(n);
            if (to.write(address, n) == 0) {
                dropped.incrementAndGet();
            }
        }
    }

    private void count(int n) {
        int frameLength = n - headerSize;
        frames.incrementAndGet();
        bytes.addAndGet(frameLength);
        if (VirtioNetHeader.gsoProtocol(buffer, 0) == VirtioNetHeader.GSO_TCPV4) {
            gsoTcp4Frames.incrementAndGet();
            if (frameLength > mtu + EtherFrames.ETH_HLEN) {
                gsoTcp4OverMtu.incrementAndGet();
            }
        }
        if ((VirtioNetHeader.flags(buffer, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            needsCsumFrames.incrementAndGet();
        }
        if (frameLength > maxFrameLength.get()) {
            maxFrameLength.set(frameLength);
        }
    }

    public long frames() {
        return frames.get();
    }

    /** Ethernet bytes moved (headers not counted). */
    public long bytes() {
        return bytes.get();
    }

    public long gsoTcp4Frames() {
        return gsoTcp4Frames.get();
    }

    /** GSO TCPv4 frames longer than one MTU-sized Ethernet frame. */
    public long gsoTcp4OverMtu() {
        return gsoTcp4OverMtu.get();
    }

    public long needsCsumFrames() {
        return needsCsumFrames.get();
    }

    public long maxFrameLength() {
        return maxFrameLength.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** The exception that stopped the bridge thread, or null. */
    public Throwable failure() {
        return failure;
    }

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
