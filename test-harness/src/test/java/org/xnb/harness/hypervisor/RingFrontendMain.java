package org.xnb.harness.hypervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;
import org.xnb.grant.ring.FrontRing;
import org.xnb.grant.ring.SharedRingDescriptor;

/**
 * The guest side of {@link RingCrossProcessIT}: a netfront-like TX producer in its own JVM.
 *
 * <p>It initialises a TX ring in one of its own frames, places the indices just below 2^32,
 * grants the frame to the backend and offers it an unbound port. Then it produces requests
 * {@code 0..N-1} ({@link RingSequence}) in random batches, kicks the backend only when
 * {@code pushRequestsAndCheckNotify} says so, and checks every response. It sleeps only in
 * {@code waitPending}, only after {@code finalCheckForResponses} failed, and unmasks after each
 * wake-up. Every wait is bounded: a wait that times out is a lost wake-up.
 * <pre>
 *   args: DIR DOMID BACKEND FRAME ENTRIES SEED
 *   stdout: "ready REF PORT START"            then waits for "go" on stdin
 *           "done RECEIVED KICKS SLEEPS REQ_PROD RSP_CONS"  then waits for "end"
 *           "ended true|false" (the grant could be ended: the backend unmapped it), then exit 0
 *           "fail MESSAGE" and exit 2 on any check that failed
 * </pre>
 */
public final class RingFrontendMain {
    static final int MAX_BATCH = 64;
    static final long WAIT_NANOS = 10_000_000_000L;
    private static final int RING_BYTES = SharedRingDescriptor.PAGE_BYTES;

    private final HarnessEventChannel events;
    private final int port;
    private final AtomicBuffer memory;
    private final int base;
    private final FrontRing ring;
    private final long total;
    private final SplittableRandom random;
    private final TxRequest request = new TxRequest();
    private final TxResponse response = new TxResponse();
    private long sent;
    private long received;
    private long kicks;
    private long sleeps;

    private RingFrontendMain(HarnessEventChannel events, int port, AtomicBuffer memory, int base, FrontRing ring,
            long total, long seed) {
        this.events = events;
        this.port = port;
        this.memory = memory;
        this.base = base;
        this.ring = ring;
        this.total = total;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int domid = Integer.parseInt(args[1]);
        int backend = Integer.parseInt(args[2]);
        int frame = Integer.parseInt(args[3]);
        long total = Long.parseLong(args[4]);
        long seed = Long.parseLong(args[5]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int rc;
        try (HarnessGuest guest = new HarnessGuest(dir, domid)) {
            rc = run(guest, backend, frame, total, seed, stdin);
        } catch (AssertionError e) {
            System.out.println("fail " + e.getMessage());
            rc = 2;
        } catch (RuntimeException e) {
            System.out.println("fail " + e);
            rc = 2;
        }
        System.out.flush();
        System.exit(rc);
    }

    private static int run(HarnessGuest guest, int backend, int frame, long total, long seed, BufferedReader stdin)
            throws IOException {
        AtomicBuffer memory = guest.memory();
        int base = HarnessGuest.frameOffset(frame);
        int start = startIndex(seed);
        FrontRing.initShared(memory, base, RING_BYTES, Netif.TX_SLOT_BYTES);
        RingIndices.placeAt(memory, base, start);
        FrontRing ring = FrontRing.attach(memory, base, RING_BYTES, Netif.TX_SLOT_BYTES, start);
        int ref = guest.grantAccess(frame, backend, false);
        try (HarnessEventChannel events = guest.openEventChannel()) {
            int port = events.allocateUnbound(backend);
            System.out.println("ready " + ref + " " + port + " " + RingIndices.u(start));
            expect(stdin, "go");
            RingFrontendMain front = new RingFrontendMain(events, port, memory, base, ring, total, seed);
            front.produceAndConsume();
            System.out.println("done " + front.received + " " + front.kicks + " " + front.sleeps + " "
                    + RingIndices.u(memory.getIntVolatile(base + SharedRingDescriptor.REQ_PROD_OFFSET)) + " "
                    + RingIndices.u(ring.responseConsumer()));
            expect(stdin, "end");
            System.out.println("ended " + guest.tryEndAccess(ref));
        }
        return 0;
    }

    /** A few thousand entries below 2^32, not a multiple of the ring size, derived from the seed. */
    static int startIndex(long seed) {
        return -(2_000 + new SplittableRandom(seed ^ 0x5eed).nextInt(4_000));
    }

    private static void expect(BufferedReader stdin, String word) throws IOException {
        String line = stdin.readLine();
        if (!word.equals(line)) {
            throw new AssertionError("expected '" + word + "' on stdin, got " + line);
        }
    }

    private void produceAndConsume() {
        while (received < total) {
            boolean progress = consumeResponses();
            progress |= produceRequests();
            if (!progress && !ring.finalCheckForResponses()) {
                sleep();
            }
        }
    }

    private boolean consumeResponses() {
        int rspProd = ring.responseProducer();
        if (ring.responseProducerOverflow(rspProd)) {
            throw new AssertionError("backend published rsp_prod " + RingIndices.u(rspProd)
                    + ", more than a ring ahead of rsp_cons " + RingIndices.u(ring.responseConsumer()));
        }
        int ready = rspProd - ring.responseConsumer();
        if (Integer.compareUnsigned(ready, (int) (sent - received)) > 0) {
            throw new AssertionError("backend answered " + RingIndices.u(ready) + " responses with only "
                    + (sent - received) + " requests outstanding; " + state());
        }
        for (int i = 0; i < ready; i++) {
            String bad = RingSequence.checkResponse(response.readFrom(memory, ring.consumeResponse()), received);
            if (bad != null) {
                throw new AssertionError(bad + "; " + state());
            }
            received++;
        }
        return ready > 0;
    }

    private boolean produceRequests() {
        int free = ring.freeRequests();
        if (free < 0 || free > ring.size()) {
            throw new AssertionError("free request slots " + free + " outside 0.." + ring.size() + "; " + state());
        }
        int batch = (int) Math.min(Math.min(1 + random.nextInt(MAX_BATCH), free), total - sent);
        for (int i = 0; i < batch; i++) {
            RingSequence.fill(request, sent++).writeTo(memory, ring.produceRequest());
        }
        if (batch == 0) {
            return false;
        }
        if (ring.pushRequestsAndCheckNotify()) {
            events.notify(port);
            kicks++;
        }
        think();
        return true;
    }

    private void sleep() {
        sleeps++;
        int fired = events.waitPending(WAIT_NANOS);
        if (fired != port) {
            throw new AssertionError("lost wake-up: frontend slept " + WAIT_NANOS / 1_000_000_000 + " s after a failed "
                    + "final check and no response event came (waitPending " + fired + "); " + state());
        }
        events.unmask(port);
    }

    /** Now and then a short busy pause, so that the backend drains the ring and goes to sleep. */
    private void think() {
        if (random.nextInt(8) == 0) {
            for (int i = random.nextInt(2_000); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    private String state() {
        return "frontend req_prod_pvt " + RingIndices.u(ring.requestProducer()) + ", rsp_cons "
                + RingIndices.u(ring.responseConsumer()) + ", sent " + sent + ", received " + received + ", kicks "
                + kicks + ", sleeps " + sleeps + "; " + RingIndices.describe(memory, base);
    }
}
