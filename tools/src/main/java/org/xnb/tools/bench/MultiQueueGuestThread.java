package org.xnb.tools.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.vnic.tap.FdPoller;

/**
 * The guest side of one queue in {@code xnb bench multiqueue}, on its own thread: guest A's queue
 * q sends its flows (q, q + queues, ...) round robin, and guest B's queue q, where netback steers
 * them, receives them. Each received frame's sequence number is checked against its flow's last
 * (order within a flow), and one frame in {@value #SAMPLE} is compared byte for byte.
 *
 * <p>At most {@code window} frames of this queue are between A's send and B's receive (the
 * benchmark gives the whole Tx ring: a busy guest keeps it full). A frame netback dropped holds
 * its place in the window; after 20 ms without a frame the window is resynced and the missing
 * frames counted as {@code lost}. No allocation in the loop. With nothing to do it sleeps in
 * poll(2) on both guests' event channels (at most 1 ms), as a netfront waits for its interrupt.
 */
final class MultiQueueGuestThread implements Runnable {
    static final int SAMPLE = 64;
    private static final long STALL_NS = 20_000_000L;

    private final NetfrontDevice a;
    private final NetfrontDevice b;
    private final MultiQueueFlows flows;
    private final int[] mine;
    private final long[] nextSeq;
    private final long[] expectSeq;
    private final int window;
    private final UnsafeBuffer rxBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
    /** Frames B's queue received intact and in order, published for the measuring thread. */
    final AtomicLong received = new AtomicLong();
    volatile boolean stop;
    long sent;
    long reordered;
    long corrupt;
    long lost;
    long checked;
    long stale;

    MultiQueueGuestThread(NetfrontDevice a, NetfrontDevice b, MultiQueueFlows flows, int queue, int queues, int window) {
        this.a = a;
        this.b = b;
        this.flows = flows;
        int count = 0;
        for (int i = queue; i < flows.templates.length; i += queues) {
            count++;
        }
        mine = new int[count];
        for (int i = queue, k = 0; i < flows.templates.length; i += queues) {
            mine[k++] = i;
        }
        nextSeq = new long[flows.templates.length];
        expectSeq = new long[flows.templates.length];
        this.window = window;
    }

    boolean hasFlows() {
        return mine.length > 0;
    }

    @Override
    public void run() {
        // idle: as GuestPump (and a netfront's interrupt handler): re-arm both rings' response
        // events, then sleep in poll(2) on the two guests' event channels, so the guests' CPU
        // follows their work and leaves the lanes the rest of the 2 cores
        FdPoller events = new FdPoller(a.eventFd(), b.eventFd());
        long inFlightBase = 0; // frames counted lost so far: in flight = sent - received - base
        long lastProgress = System.nanoTime();
        int next = 0;
        long got = 0;
        while (!stop) {
            int work = a.reapTx();
            int posted = 0;
            while (sent - got - inFlightBase < window && a.canSend(flows.frameBytes, false)) {
                int flow = mine[next];
                next = next + 1 == mine.length ? 0 : next + 1;
                UnsafeBuffer t = flows.templates[flow];
                t.putLong(MultiQueueFlows.SEQ_AT, nextSeq[flow]++);
                a.send(t, 0, flows.frameBytes, 0, ExtraInfo.GSO_TYPE_NONE, 0);
                sent++;
                posted++;
            }
            if (posted > 0) {
                a.pushTx();
            }
            int n;
            int in = 0;
            int taken = 0;
            while ((n = b.receive(rxBuffer, 0, rxBuffer.capacity())) != 0) {
                taken++;
                if (n < 0) { // an Rx error status or a bad layout: the frame is not intact
                    corrupt++;
                    in++;
                } else if (check(n)) {
                    in++;
                }
            }
            if (taken > 0) {
                b.refillRx();
            }
            if (in > 0) {
                got += in;
                received.lazySet(got);
                lastProgress = System.nanoTime();
            } else if (sent - got - inFlightBase >= window && System.nanoTime() - lastProgress > STALL_NS) {
                lost += sent - got - inFlightBase;
                inFlightBase = sent - got;
                lastProgress = System.nanoTime();
            }
            work += posted + taken;
            if (work == 0) {
                a.drainEvents();
                b.drainEvents();
                boolean more = a.finalCheck() | b.finalCheck();
                if (!more) {
                    events.poll(1);
                }
            }
        }
    }

    /** Counts a frame of this row; a frame left over from an earlier row is only counted as stale. */
    private boolean check(int length) {
        if (length > MultiQueueFlows.SEQ_AT && rxBuffer.getShort(MultiQueueFlows.ROW_AT, java.nio.ByteOrder.BIG_ENDIAN)
                != flows.row) {
            stale++;
            return false;
        }
        int flow = rxBuffer.getShort(MultiQueueFlows.FLOW_AT, java.nio.ByteOrder.BIG_ENDIAN);
        long seq = rxBuffer.getLong(MultiQueueFlows.SEQ_AT);
        if (flow < 0 || flow >= expectSeq.length || length != flows.frameBytes) {
            corrupt++;
            return true;
        }
        if (seq < expectSeq[flow]) {
            reordered++;
        }
        expectSeq[flow] = seq + 1;
        if ((seq & (SAMPLE - 1)) == 0) {
            checked++;
            if (!flows.intact(rxBuffer, length, flow, seq)) {
                corrupt++;
            }
        }
        return true;
    }

    /** Posts B's Rx buffers and A's (netback floods the learning frame to A). */
    void prime() {
        b.refillRx();
        a.refillRx();
    }

    /** Frames waiting on A's Rx ring (the learning frame): taken, not checked. */
    void drainA() {
        while (a.receive(scratch, 0, scratch.capacity()) != 0) {
            // discard
        }
        a.refillRx();
    }
}
