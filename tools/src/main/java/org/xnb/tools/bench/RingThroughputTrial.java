package org.xnb.tools.bench;

import java.util.concurrent.atomic.AtomicReference;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.FrontRing;
import org.xnb.grant.ring.SharedRingDescriptor;

/**
 * One timed run: a frontend thread pushes {@code entries} TX requests through a real shared ring
 * page (direct memory), a backend thread consumes each one (copy-out with {@link TxRequest}) and
 * answers it in the same slot; the frontend consumes the answers to free the slots. Both sides use
 * notification suppression exactly as a Xen frontend/backend pair does: a side polls its ring up
 * to {@code spinPolls} times, then does the final check and sleeps on its
 * {@link ParkingEventChannel} until the other side's push-and-check says to kick it.
 */
final class RingThroughputTrial {

    record Result(long entries, long elapsedNs, long kicksToBackend, long kicksToFrontend, long backendSleeps,
            long frontendSleeps, long checksum) {

        double entriesPerSecond() {
            return entries * 1e9 / elapsedNs;
        }

        static double perMillion(long count, long entries) {
            return count * 1e6 / entries;
        }
    }

    private final long entries;
    private final int maxBatch;
    private final int spinPolls;
    private final long deadlineNs;
    private final UnsafeBuffer page;
    private final ParkingEventChannel toBackend = new ParkingEventChannel();
    private final ParkingEventChannel toFrontend = new ParkingEventChannel();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    private long checksum;

    RingThroughputTrial(long entries, int maxBatch, int spinPolls, long timeoutMs) {
        this.entries = entries;
        this.maxBatch = maxBatch;
        this.spinPolls = spinPolls;
        this.deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        int pageBytes = SharedRingDescriptor.PAGE_BYTES;
        this.page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(pageBytes, pageBytes));
    }

    Result run() throws InterruptedException {
        FrontRing.initShared(page, 0, SharedRingDescriptor.PAGE_BYTES, Netif.TX_SLOT_BYTES);
        Thread back = new Thread(guarded(this::backend), "bench-ring-backend");
        Thread front = new Thread(guarded(this::frontend), "bench-ring-frontend");
        long t0 = System.nanoTime();
        back.start();
        front.start();
        front.join(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
        back.join(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
        long elapsed = System.nanoTime() - t0;
        if (front.isAlive() || back.isAlive()) {
            stop = true;
            front.interrupt();
            back.interrupt();
            front.join(1_000);
            back.join(1_000);
            throw new IllegalStateException("ring benchmark did not finish before its timeout");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("ring benchmark failed: " + failure.get().getMessage(), failure.get());
        }
        return new Result(entries, elapsed, toBackend.kicks(), toFrontend.kicks(), toBackend.waits(),
                toFrontend.waits(), checksum);
    }

    private Runnable guarded(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stop = true;
                toBackend.kick();
                toFrontend.kick();
            }
        };
    }

    private void frontend() {
        FrontRing ring = FrontRing.attach(page, 0, SharedRingDescriptor.PAGE_BYTES,
                Netif.TX_SLOT_BYTES, 0);
        TxRequest request = new TxRequest();
        TxResponse response = new TxResponse();
        long sent = 0;
        long received = 0;
        int polls = 0;
        while (received < entries && !stop) {
            int ready = ring.unconsumedResponses();
            for (int i = 0; i < ready; i++) {
                response.readFrom(page, ring.consumeResponse());
                if (response.id() != (int) (received & 0xffff)) {
                    throw new IllegalStateException("response " + received + " out of order: id " + response.id());
                }
                received++;
            }
            int batch = (int) Math.min(Math.min(maxBatch, ring.freeRequests()), entries - sent);
            for (int i = 0; i < batch; i++) {
                request.set((int) sent, 0, 0, (int) sent, 1514).writeTo(page, ring.produceRequest());
                sent++;
            }
            if (batch > 0 && ring.pushRequestsAndCheckNotify()) {
                toBackend.kick();
            }
            if (ready > 0 || batch > 0) {
                polls = 0;
            } else if (++polls > spinPolls) {
                polls = 0;
                if (!ring.finalCheckForResponses() && !toFrontend.await(deadlineNs)) {
                    throw new IllegalStateException("frontend waited for a kick until the timeout");
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void backend() {
        BackRing ring = BackRing.init(page, 0, SharedRingDescriptor.PAGE_BYTES,
                Netif.TX_SLOT_BYTES);
        TxRequest request = new TxRequest();
        long consumed = 0;
        long sum = 0;
        int polls = 0;
        while (consumed < entries && !stop) {
            int ready = ring.unconsumedRequestsChecked();
            if (ready == 0) {
                if (++polls > spinPolls) {
                    polls = 0;
                    if (!ring.finalCheckForRequests() && !toBackend.await(deadlineNs)) {
                        throw new IllegalStateException("backend waited for a kick until the timeout");
                    }
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            polls = 0;
            for (int i = 0; i < ready; i++) {
                request.readFrom(page, ring.consumeRequest());
                sum += request.size();
                TxResponse.write(page, ring.produceResponse(), request.id(), 0);
            }
            consumed += ready;
            if (ring.pushResponsesAndCheckNotify()) {
                toFrontend.kick();
            }
        }
        checksum = sum;
    }
}
