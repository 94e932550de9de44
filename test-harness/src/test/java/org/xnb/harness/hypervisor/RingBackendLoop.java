package org.xnb.harness.hypervisor;

import java.util.SplittableRandom;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.EventChannel;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;
import org.xnb.grant.ring.BackRing;

/**
 * The backend side of {@link RingCrossProcessIT}, run on the test thread against a ring page
 * mapped from the guest process: consume requests in random batches (each slot copied out once
 * with the netif codec, then checked), answer each in order, kick the frontend only when
 * {@code pushResponsesAndCheckNotify} says so, and sleep only in {@code waitPending} after
 * {@code finalCheckForRequests} failed, unmasking after each wake-up. Allocates nothing per entry.
 */
final class RingBackendLoop {

    /** What the backend saw: entries consumed, kicks sent, sleeps, the most requests seen outstanding. */
    record Stats(long consumed, long kicks, long sleeps, int maxOutstanding) {
    }

    private final BackRing ring;
    private final AtomicBuffer page;
    private final EventChannel events;
    private final int port;
    private final long total;
    private final SplittableRandom random;
    private final TxRequest request = new TxRequest();
    private long consumed;
    private long kicks;
    private long sleeps;
    private int maxOutstanding;

    RingBackendLoop(BackRing ring, EventChannel events, int port, long total, long seed) {
        this.ring = ring;
        this.page = ring.buffer();
        this.events = events;
        this.port = port;
        this.total = total;
        this.random = new SplittableRandom(~seed);
    }

    /** Runs until {@code total} requests are answered; throws AssertionError on any violation or lost wake-up. */
    Stats run() {
        while (consumed < total) {
            // "impossible number of requests" throws RingProtocolException: the frontend overran us
            int ready = ring.unconsumedRequestsChecked();
            if (ready == 0) {
                if (!ring.finalCheckForRequests()) {
                    sleep();
                }
                continue;
            }
            checkBounds(ready);
            int batch = (int) Math.min(Math.min(ready, 1 + random.nextInt(RingFrontendMain.MAX_BATCH)), total - consumed);
            for (int i = 0; i < batch; i++) {
                String bad = RingSequence.checkRequest(request.readFrom(page, ring.consumeRequest()), consumed);
                if (bad != null) {
                    throw new AssertionError(bad + "; " + state());
                }
                TxResponse.write(page, ring.produceResponse(), request.id(), RingSequence.status(consumed));
                consumed++;
            }
            if (ring.pushResponsesAndCheckNotify()) {
                events.notify(port);
                kicks++;
            }
            think();
        }
        return new Stats(consumed, kicks, sleeps, maxOutstanding);
    }

    /**
     * The frontend never has more than a ring of requests in flight beyond the responses we
     * published ({@code req_prod - rsp_prod <= size}), and we never see more ready than that.
     * {@code req_prod} is read again here; it only grows, so the second read bounds the first.
     */
    private void checkBounds(int ready) {
        int outstanding = ring.requestProducer() - ring.responseProducer();
        if (Integer.compareUnsigned(outstanding, ring.size()) > 0 || Integer.compareUnsigned(ready, outstanding) > 0) {
            throw new AssertionError("overrun: " + RingIndices.u(ready) + " requests ready, " + RingIndices.u(outstanding)
                    + " in flight in a ring of " + ring.size() + "; " + state());
        }
        maxOutstanding = Math.max(maxOutstanding, outstanding);
    }

    private void sleep() {
        sleeps++;
        int fired = events.waitPending(RingFrontendMain.WAIT_NANOS);
        if (fired != port) {
            throw new AssertionError("lost wake-up: backend slept " + RingFrontendMain.WAIT_NANOS / 1_000_000_000
                    + " s after a failed final check and no request event came (waitPending " + fired + "); "
                    + state());
        }
        events.unmask(port);
    }

    /** Now and then a short busy pause, so that the frontend drains its responses and goes to sleep. */
    private void think() {
        if (random.nextInt(8) == 0) {
            for (int i = random.nextInt(2_000); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    private String state() {
        return "backend req_cons " + RingIndices.u(ring.requestConsumer()) + ", rsp_prod_pvt "
                + RingIndices.u(ring.responseProducer()) + ", consumed " + consumed + ", kicks " + kicks + ", sleeps "
                + sleeps + "; " + RingIndices.describe(page, 0);
    }
}
