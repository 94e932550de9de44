package org.xnb.netback.vif;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Two well-behaved guests exchanging numbered unicast frames both ways through the switch, each
 * on its own thread, while a test makes a third guest misbehave. A sender keeps at most
 * {@link #WINDOW} frames unreceived, so no Rx queue can overflow with them: every frame sent must
 * arrive, once, in order, intact. Frames from anyone else (a misbehaving guest's floods) are
 * counted apart (the first {@link #KEPT} of each guest kept for inspection). Optionally every
 * 4th frame of the first guest is a broadcast, so that a third guest receives traffic too.
 */
final class TwoGuestTraffic implements AutoCloseable {
    static final int WINDOW = 64;
    static final int KEPT = 256;
    private static final long BROADCAST = 0xffff_ffff_ffffL;
    private static final long DRAIN_NS = 30_000_000_000L;

    private final GuestDriver[] guests;
    /** [0] sent by the first guest, [1] by the second. */
    private final AtomicLongArray sent = new AtomicLongArray(2);
    /** [0] received by the first guest (from the second), [1] by the second. */
    private final AtomicLongArray received = new AtomicLongArray(2);
    private final AtomicLongArray foreign = new AtomicLongArray(2);
    private final AtomicBoolean stop = new AtomicBoolean();
    /** While set the guests send nothing new (they keep receiving). */
    private final AtomicBoolean paused = new AtomicBoolean();
    /** Set by each thread once it has seen {@link #stop} and will send nothing more. */
    private final AtomicLongArray quiet = new AtomicLongArray(2);
    private final Thread[] threads = new Thread[2];
    private volatile Throwable failure;
    private final boolean broadcasts;
    private final long paceNanos;
    @SuppressWarnings("unchecked")
    private final java.util.Queue<byte[]>[] kept = new java.util.Queue[] {
            new java.util.concurrent.ConcurrentLinkedQueue<byte[]>(), new java.util.concurrent.ConcurrentLinkedQueue<byte[]>()};

    TwoGuestTraffic(GuestDriver a, GuestDriver b) {
        this(a, b, false);
    }

    TwoGuestTraffic(GuestDriver a, GuestDriver b, boolean broadcasts) {
        this(a, b, broadcasts, 0);
    }

    /** {@code paceNanos}: a pause after each frame sent, to leave CPU to a fuzzer. */
    TwoGuestTraffic(GuestDriver a, GuestDriver b, boolean broadcasts, long paceNanos) {
        this.broadcasts = broadcasts;
        this.paceNanos = paceNanos;
        this.guests = new GuestDriver[] {a, b};
        for (int i = 0; i < 2; i++) {
            int self = i;
            threads[i] = new Thread(() -> run(self), "traffic-" + guests[i].domid);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void run(int self) {
        int peer = 1 - self;
        GuestDriver g = guests[self];
        long peerMac = guests[peer].mac;
        long drainDeadline = 0;
        try {
            while (true) {
                boolean stopping = stop.get();
                if (stopping) {
                    if (drainDeadline == 0) {
                        drainDeadline = System.nanoTime() + DRAIN_NS;
                        quiet.set(self, 1);
                    }
                    boolean bothQuiet = quiet.get(peer) == 1;
                    if (bothQuiet && received.get(self) >= sent.get(peer) && received.get(peer) >= sent.get(self)
                            || System.nanoTime() > drainDeadline) {
                        return;
                    }
                }
                boolean did = false;
                long s = sent.get(self);
                if (!stopping && !paused.get() && s - received.get(peer) < WINDOW && g.txRoom(1)) {
                    g.send(g.frame(destination(self, s), 60 + (int) (s % 1400), (int) s));
                    sent.incrementAndGet(self);
                    did = true;
                    if (paceNanos > 0) {
                        LockSupport.parkNanos(paceNanos);
                    }
                }
                for (GuestDriver.Received r : g.receive()) {
                    did = true;
                    byte[] f = r.bytes();
                    if (f.length < 22 || source(f) != guests[peer].mac) {
                        if (foreign.incrementAndGet(self) <= KEPT) {
                            kept[self].add(f);
                        }
                        continue;
                    }
                    int seq = (f[14] & 0xff) << 24 | (f[15] & 0xff) << 16 | (f[16] & 0xff) << 8 | (f[17] & 0xff);
                    long want = received.get(self);
                    if (seq != want) {
                        throw new AssertionError("guest " + g.domid + " got frame " + seq + ", expected " + want);
                    }
                    if (!java.util.Arrays.equals(guests[peer].frame(destination(peer, seq), f.length, seq), f)) {
                        throw new AssertionError("guest " + g.domid + ": frame " + seq + " corrupted");
                    }
                    received.incrementAndGet(self);
                }
                if (!did) {
                    LockSupport.parkNanos(100_000);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private long destination(int sender, long seq) {
        return broadcasts && sender == 0 && seq % 4 == 0 ? BROADCAST : guests[1 - sender].mac;
    }

    /**
     * Stops sending and waits (bounded) until every frame sent has arrived, so that nothing of A's
     * or B's is queued in the backend: a test moving a shared fake clock by seconds would otherwise
     * expire their queued frames as it means to expire the misbehaving guest's.
     */
    void pauseAndDrain() {
        paused.set(true);
        long deadline = System.nanoTime() + DRAIN_NS;
        while (received.get(0) < sent.get(1) || received.get(1) < sent.get(0)) {
            if (System.nanoTime() > deadline || failure != null) {
                assertHealthy();
                throw new AssertionError("A and B did not drain: sent " + sent + ", received " + received);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    void resume() {
        paused.set(false);
    }

    /** Frames guest {@code i} (0 or 1) received from anyone else. */
    long foreign(int i) {
        return foreign.get(i);
    }

    /** The first {@link #KEPT} of those frames. */
    java.util.Collection<byte[]> foreignFrames(int i) {
        return kept[i];
    }

    private static long source(byte[] f) {
        long m = 0;
        for (int i = 6; i < 12; i++) {
            m = (m << 8) | (f[i] & 0xff);
        }
        return m;
    }

    /** Throws if a guest got a frame out of order, twice, corrupted, or the driver failed. */
    void assertHealthy() {
        if (failure != null) {
            throw new AssertionError("traffic between the well-behaved guests failed", failure);
        }
    }

    /** Frames guest {@code i} (0 or 1) has sent to the other so far. */
    long sent(int i) {
        return sent.get(i);
    }

    /** Frames both guests have received from each other so far. */
    long delivered() {
        return received.get(0) + received.get(1);
    }

    /**
     * Stops sending, waits until everything sent has arrived (at most 30 s), and checks that
     * nothing was lost and traffic moved at all.
     *
     * @return frames exchanged
     */
    long stopAndAssertNothingLost() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(DRAIN_NS / 1_000_000 + 5_000);
        }
        if (failure != null) {
            throw new AssertionError("traffic between the well-behaved guests failed", failure);
        }
        for (int i = 0; i < 2; i++) {
            if (received.get(i) != sent.get(1 - i)) {
                throw new AssertionError("guest " + guests[i].domid + " received " + received.get(i) + " of "
                        + sent.get(1 - i) + " frames");
            }
        }
        if (sent.get(0) == 0 || sent.get(1) == 0) {
            throw new AssertionError("no traffic between the well-behaved guests");
        }
        return sent.get(0) + sent.get(1);
    }

    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(DRAIN_NS / 1_000_000 + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
