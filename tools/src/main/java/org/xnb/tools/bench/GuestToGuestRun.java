package org.xnb.tools.bench;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.rx.RxEngine;

/**
 * One row of {@code xnb bench netback}: on a fresh harness host, guest A's netfront posts frames,
 * A's Tx engine checks and grant-copies them and hands each straight to guest B's Rx engine, which
 * queues it and grant-copies it into the buffers B's netfront keeps posted. Both guests announce
 * Linux's default features (SG, GSO, checksum offload).
 *
 * <p>Flow control, so that nothing is dropped by construction: A keeps at most a window of slots
 * outstanding (half the Tx ring, and no more frames than fit in half of B's Rx queue), and the
 * backend runs A's Tx engine only while B's Rx queue is under half full (Linux stops the vif's
 * transmit queue instead).
 *
 * <p>Threads: {@code split == false}: both netfronts and both engines on the calling thread, in
 * turn (as netback's {@code TxRxThroughput}). {@code split == true}: both netfronts on one thread,
 * both engines on another, each spinning when idle, then yielding, then parking briefly (Agrona's
 * {@code BackoffIdleStrategy}); the rings are the only thing they share.
 */
final class GuestToGuestRun {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int GATE_BYTES = RxEngine.RX_QUEUE_MAX_BYTES / 2;

    private final MockNetfront a;
    private final MockNetfront b;
    private final NetbackBenchQueue backA;
    private final NetbackBenchQueue backB;
    private final NetbackFrameShape shape;
    private final int windowSlots;

    private GuestToGuestRun(HarnessHost host, String name, int bytes, boolean gso, MockNetfront a, MockNetfront b) {
        this.a = a;
        this.b = b;
        this.backB = new NetbackBenchQueue(host, b, VifFeatures.LINUX_DEFAULT, (address, length, metadata) -> {
        });
        this.backA = new NetbackBenchQueue(host, a, VifFeatures.LINUX_DEFAULT, backB.rx);
        this.shape = new NetbackFrameShape(name, bytes, gso, a);
        int frames = Math.max(1, GATE_BYTES / (bytes + 128));
        this.windowSlots = Math.min(Netif.TX_RING_SIZE / 2 / shape.ringSlots, frames) * shape.ringSlots;
    }

    /** Measures one row; the harness directory (under {@code parent}, null: /dev/shm) is removed. */
    static NetbackRow measure(Path parent, String name, int bytes, boolean gso, boolean split, double warmup,
            double seconds) {
        try (HarnessHost host = new HarnessHost(parent);
                MockNetfront a = new MockNetfront(host, HarnessHost.GUEST_A);
                MockNetfront b = new MockNetfront(host, HarnessHost.GUEST_B)) {
            GuestToGuestRun run = new GuestToGuestRun(host, name, bytes, gso, a, b);
            try {
                long start = System.nanoTime() + (long) (warmup * 1e9);
                long end = start + (long) (seconds * 1e9);
                NetbackRow row = split ? run.split(start, end) : run.oneThread(start, end);
                return row.withIntact(run.lastFrameIntact());
            } finally {
                run.backA.close();
                run.backB.close();
            }
        }
    }

    private NetbackRow oneThread(long start, long end) {
        Window w = new Window(start, end);
        while (!w.done) {
            guestsStep();
            backendStep();
            w.tick(backB.rx.counters().packets, backB.rx.counters().bytes);
        }
        backA.checkRunning();
        return row("1 (guests+backend)", w, w.cpu(), -1);
    }

    private NetbackRow split(long start, long end) {
        Window guests = new Window(start, end);
        Window backend = new Window(start, end);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread g = new Thread(() -> {
            IdleStrategy idle = idleStrategy();
            while (!guests.done) {
                idle.idle(guestsStep());
                guests.tick(0, 0);
            }
        }, "xnb-bench-netfronts");
        Thread k = new Thread(() -> {
            IdleStrategy idle = idleStrategy();
            while (!backend.done) {
                idle.idle(backendStep());
                backend.tick(backB.rx.counters().packets, backB.rx.counters().bytes);
            }
        }, "xnb-bench-backend");
        for (Thread t : new Thread[] {g, k}) {
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        long limitMs = (end - System.nanoTime()) / 1_000_000 + 10_000;
        join(g, limitMs);
        join(k, limitMs);
        if (failure.get() != null) {
            throw new IllegalStateException("benchmark thread failed: " + failure.get(), failure.get());
        }
        backA.checkRunning();
        return row("2 (netfronts | backend)", backend, guests.cpu() + backend.cpu(), backend.cpu());
    }

    /**
     * After the window: drains both rings and B's queue, then sends one more frame and checks that
     * B received exactly A's bytes (the hot loop never looks at them). Allocates; not timed.
     */
    private boolean lastFrameIntact() {
        for (int i = 0; ; i++) {
            if (i == 100_000) {
                throw new IllegalStateException("the rings did not drain");
            }
            backendStep();
            a.skipTxResponses();
            b.skipRxResponses();
            if (a.tx.freeRequests() == Netif.TX_RING_SIZE && backB.rx.queuedFrames() == 0
                    && backB.rx.counters().packets == backA.tx.counters().packets) {
                break;
            }
            int free = b.rx.freeRequests();
            if (free > 0) {
                b.postRx(free);
            }
        }
        // every Rx buffer posted: a GSO frame needs up to 17 of them, and the drain may have ended
        // with fewer posted
        int free = b.rx.freeRequests();
        if (free > 0) {
            b.postRx(free);
        }
        long before = backB.rx.counters().packets;
        shape.post(a);
        a.pushTx();
        for (int i = 0; backB.rx.counters().packets == before; i++) {
            if (i == 100_000) {
                throw new IllegalStateException("the last frame did not reach guest B's ring");
            }
            backA.tx.doWork();
            backB.rx.doWork();
        }
        backA.checkRunning();
        List<RxSlot> slots = b.rxResponses();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean extra = !slots.isEmpty() && (slots.get(0).flags() & NetRxFlags.EXTRA_INFO) != 0;
        for (int i = 0; i < slots.size(); i++) {
            RxSlot s = slots.get(i);
            if (extra && i == 1) {
                continue;
            }
            if (s.status() <= 0) {
                return false;
            }
            got.writeBytes(b.rxData(s.id(), s.offset(), s.status()));
        }
        return Arrays.equals(got.toByteArray(), shape.packet()) && extra == shape.gso;
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not finish within " + millis + " ms");
        }
    }

    /**
     * Spin, then yield, then park up to 50 us. Yielding matters: with another process on one of the
     * two cores, two pure spinners sharing the other core hand the rings over only once per
     * scheduler time slice (measured: 16 k packets/s instead of 6 M).
     */
    private static IdleStrategy idleStrategy() {
        return new BackoffIdleStrategy(100, 100, 1_000, 50_000);
    }

    /** Both netfronts: A reaps Tx responses and refills its window; B reaps Rx responses and reposts. Returns the work done. */
    private int guestsStep() {
        int work = a.skipTxResponses();
        int posted = 0;
        while (Netif.TX_RING_SIZE - a.tx.freeRequests() + shape.ringSlots <= windowSlots) {
            shape.post(a);
            posted++;
        }
        if (posted > 0) {
            a.pushTx();
        }
        work += posted + b.skipRxResponses();
        int free = b.rx.freeRequests();
        if (free > 0) {
            b.postRx(free);
        }
        return work;
    }

    /** Both engines, once each; returns the work done. */
    private int backendStep() {
        int work = 0;
        if (backB.rx.queuedBytes() < GATE_BYTES) {
            work += backA.tx.doWork();
        }
        return work + backB.rx.doWork();
    }

    private NetbackRow row(String threads, Window w, long cpu, long backendCpu) {
        long drops = backA.tx.counters().dropped() + dropsOf(backB.rx);
        return new NetbackRow(threads, shape.name, w.packets, w.bytes, w.nanos, cpu, backendCpu, drops, false);
    }

    private static long dropsOf(RxEngine rx) {
        var c = rx.counters();
        return c.droppedQueueFull + c.droppedCarrierOff + c.droppedOversize + c.droppedGsoUnsupported
                + c.droppedMulticastFilter + c.droppedInvalid + c.droppedExpired + c.droppedPurged + c.copyErrors;
    }

    /**
     * A measuring window seen by one thread: snapshots of the delivered counters, the clock and the
     * thread's CPU time when the thread first passes {@code start} and {@code end}. Written and read
     * by its own thread; read by the caller after join (which orders it).
     */
    private static final class Window {
        private final long start;
        private final long end;
        private boolean started;
        private long t0;
        private long cpu0;
        private long packets0;
        private long bytes0;
        volatile boolean done;
        long nanos;
        long cpuNanos;
        long packets;
        long bytes;

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void tick(long packetsNow, long bytesNow) {
            long now = System.nanoTime();
            if (!started && now >= start) {
                started = true;
                t0 = now;
                cpu0 = THREADS.getCurrentThreadCpuTime();
                packets0 = packetsNow;
                bytes0 = bytesNow;
            } else if (started && now >= end) {
                nanos = now - t0;
                cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
                packets = packetsNow - packets0;
                bytes = bytesNow - bytes0;
                done = true;
            }
        }

        long cpu() {
            return cpuNanos;
        }
    }
}
