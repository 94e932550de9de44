package org.xnb.tools.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.vnic.tap.FdPoller;

/**
 * One guest sending numbered 64-byte frames to {@code dst} as fast as its Tx ring lets it (no
 * receiver to wait for: the TAP row's receiver is dom0's kernel), on its own thread; with a full
 * ring it re-arms the response event and sleeps in poll(2) on its event channel.
 */
final class FloodTraffic implements AutoCloseable {
    private static final int BATCH = 64;
    private final BenchGuest from;
    private final long dst;
    private final NetfrontDevice tx;
    private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PairTraffic.FRAME_BYTES, 64));
    private final FdPoller events;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private volatile String failure;

    FloodTraffic(BenchGuest from, long dst) {
        this.from = from;
        this.dst = dst;
        this.tx = from.device();
        this.events = new FdPoller(tx.eventFd());
        this.thread = new Thread(this::run, "bench-flood-" + from.domid());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            long s = 0;
            while (running) {
                tx.drainEvents();
                int work = tx.reapTx();
                int n = 0;
                while (n < BATCH && tx.canSend(PairTraffic.FRAME_BYTES, false)) {
                    PairTraffic.fill(out, dst, from.mac(), s);
                    tx.send(out, 0, PairTraffic.FRAME_BYTES, 0, ExtraInfo.GSO_TYPE_NONE, 0);
                    s++;
                    n++;
                }
                if (n > 0) {
                    sent.lazySet(s);
                    tx.pushTx();
                }
                if (work + n == 0 && !tx.finalCheck()) {
                    events.poll(100);
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e.toString();
        }
    }

    long sent() {
        return sent.get();
    }

    /** Stops; returns null, or what went wrong. */
    String stop() throws InterruptedException {
        running = false;
        thread.join(1000);
        if (failure != null) {
            return failure;
        }
        return tx.txErrors() > 0 ? tx.txErrors() + " Tx errors" : null;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
