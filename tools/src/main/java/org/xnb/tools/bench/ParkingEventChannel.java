package org.xnb.tools.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The cheapest stand-in for one direction of an event channel: a pending bit plus
 * {@link LockSupport} park/unpark. A kick sets the bit and unparks the waiter; the bit stays set
 * until the waiter takes it, like a pending Xen event, so a kick that arrives before the wait is
 * not lost.
 */
final class ParkingEventChannel {
    private static final long PARK_SLICE_NS = 100_000_000L;

    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile Thread waiter;
    private long kicks;
    private long waits;

    /** Called only by the one thread that produces on this direction. */
    void kick() {
        kicks++;
        pending.set(true);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Waits for a kick. Returns false if {@code deadlineNs} (System.nanoTime) passed first: with a
     * correct ring protocol that only happens if the run is stuck.
     */
    boolean await(long deadlineNs) {
        waits++;
        waiter = Thread.currentThread();
        while (!pending.getAndSet(false)) {
            long left = deadlineNs - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(left, PARK_SLICE_NS));
        }
        return true;
    }

    /** Kicks sent (read after the producing thread has finished). */
    long kicks() {
        return kicks;
    }

    /** Times the consumer went to sleep (read after the consuming thread has finished). */
    long waits() {
        return waits;
    }
}
