package org.xnb.grant.ring;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;

/**
 * A frontend thread and a backend thread exchanging {@code total} TX requests and responses over
 * one shared page, with notification suppression: each side sleeps only when its final check
 * says there is nothing, and is woken only when the other side's push-and-check says so. Every
 * request carries its sequence number (in gref, id and size), every response echoes it, so a
 * lost, duplicated, overwritten or torn entry is caught where it is read. The run starts just
 * below 2^32 so the indices wrap.
 */
final class RingPingPong {
    private static final int MAX_BATCH = 64;
    private static final long WAIT_TIMEOUT_MS = 10_000;

    record Result(long entries, long backendNotifies, long frontendNotifies, long backendSleeps,
            long frontendSleeps, long elapsedNs) {
    }

    private final long total;
    private final long seed;
    private final UnsafeBuffer page;
    private final int start;
    private final TestEventChannel toBackend = new TestEventChannel("frontend->backend");
    private final TestEventChannel toFrontend = new TestEventChannel("backend->frontend");
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    RingPingPong(long total, long seed) {
        this.total = total;
        this.seed = seed;
        this.start = (int) -Math.min(total / 2, 1L << 30);
        this.page = RingPages.pageAt(start);
    }

    Result run(long timeoutMs) throws InterruptedException {
        Thread front = new Thread(guard(this::frontend), "ring-frontend");
        Thread back = new Thread(guard(this::backend), "ring-backend");
        long t0 = System.nanoTime();
        front.start();
        back.start();
        front.join(timeoutMs);
        back.join(Math.max(1, timeoutMs - (System.nanoTime() - t0) / 1_000_000));
        long elapsed = System.nanoTime() - t0;
        if (front.isAlive() || back.isAlive()) {
            front.interrupt();
            back.interrupt();
            throw new AssertionError("ping-pong did not finish in " + timeoutMs + " ms (seed " + seed + ")");
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("seed " + seed + ": " + t.getMessage(), t);
        }
        return new Result(total, toBackend.notifications(), toFrontend.notifications(), toBackend.waits(),
                toFrontend.waits(), elapsed);
    }

    private Runnable guard(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                // wake the peer so that it fails fast instead of waiting out its deadline
                toBackend.notifyPeer();
                toFrontend.notifyPeer();
            }
        };
    }

    private boolean failed() {
        return failure.get() != null;
    }

    private void frontend() {
        FrontRing ring = FrontRing.attach(page, 0, RingPages.PAGE, Netif.TX_SLOT_BYTES, start);
        SplittableRandom random = new SplittableRandom(seed);
        TxRequest request = new TxRequest();
        TxResponse response = new TxResponse();
        long sent = 0;
        long received = 0;
        while (received < total && !failed()) {
            boolean progress = false;
            int rspProd = ring.responseProducer();
            if (ring.responseProducerOverflow(rspProd)) {
                throw new AssertionError("backend produced too many responses: " + rspProd);
            }
            int ready = rspProd - ring.responseConsumer();
            for (int i = 0; i < ready; i++) {
                response.readFrom(page, ring.consumeResponse());
                check(response.id() == (int) (received & 0xffff), "response", received, response.id());
                check(response.status() == statusFor(received), "status", received, response.status());
                received++;
            }
            progress |= ready > 0;

            int batch = (int) Math.min(Math.min(1 + random.nextInt(MAX_BATCH), ring.freeRequests()), total - sent);
            for (int i = 0; i < batch; i++) {
                request.set((int) sent, 0, 0, (int) sent, (int) (sent >>> 16)).writeTo(page, ring.produceRequest());
                sent++;
            }
            if (batch > 0) {
                progress = true;
                if (ring.pushRequestsAndCheckNotify()) {
                    toBackend.notifyPeer();
                }
                think(random);
            }
            if (!progress && !ring.finalCheckForResponses()) {
                toFrontend.await(WAIT_TIMEOUT_MS);
            }
        }
    }

    private void backend() {
        BackRing ring = BackRing.attach(page, 0, RingPages.PAGE, Netif.TX_SLOT_BYTES, start);
        SplittableRandom random = new SplittableRandom(~seed);
        TxRequest request = new TxRequest();
        long consumed = 0;
        while (consumed < total && !failed()) {
            int ready = ring.unconsumedRequestsChecked();
            if (ready == 0) {
                if (!ring.finalCheckForRequests()) {
                    toBackend.await(WAIT_TIMEOUT_MS);
                }
                continue;
            }
            int batch = Math.min(ready, 1 + random.nextInt(MAX_BATCH));
            for (int i = 0; i < batch; i++) {
                request.readFrom(page, ring.consumeRequest());
                check(request.gref() == (int) consumed, "request", consumed, request.gref());
                check(request.id() == (int) (consumed & 0xffff), "request id", consumed, request.id());
                check(request.size() == (int) ((consumed >>> 16) & 0xffff), "request size", consumed, request.size());
                TxResponse.write(page, ring.produceResponse(), request.id(), statusFor(consumed));
                consumed++;
            }
            if (ring.pushResponsesAndCheckNotify()) {
                toFrontend.notifyPeer();
            }
            think(random);
        }
    }

    /** Now and then a short busy pause, so that the other side drains the ring and goes to sleep. */
    private static void think(SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            for (int i = random.nextInt(2_000); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    private static int statusFor(long seq) {
        return (int) (seq % 3) - 1;
    }

    private static void check(boolean ok, String what, long expectedSeq, int got) {
        if (!ok) {
            throw new AssertionError(what + " out of sequence: expected #" + expectedSeq + ", slot says " + got);
        }
    }
}
