package org.xnb.netback.rx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets the producers of one {@link RxEngine} (the vif threads of every other guest, a TAP reader)
 * take turns at the single-producer {@link RxFrameQueue}: a test-and-test-and-set gate, one CAS to
 * enter and one release store to leave.
 *
 * <p>Why a gate rather than a multi-producer ring such as Agrona's {@code ManyToOneRingBuffer}:
 * the queue's bound is in bytes (XSA-392) and its arena placement and drop counters are
 * producer-side state; a claim-based ring would need a second, lock-free byte account and still
 * serialise the counters. The critical section is one bounded copy (at most
 * {@link RxEngine#MAX_FRAME_BYTES}) and never blocks, so a waiting producer spins briefly
 * ({@link Thread#onSpinWait()}) and, after {@link #SPINS_BEFORE_YIELD} attempts, yields; nothing is
 * allocated (a {@code ReentrantLock} would allocate queue nodes under contention). The consumer
 * never enters the gate.
 */
final class ProducerGate {
    static final int SPINS_BEFORE_YIELD = 64;
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(ProducerGate.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HELD
    private volatile int held;
    private long contended;

    void enter() {
        int spins = 0;
        while ((int) HELD.getAcquire(this) != 0 || !HELD.compareAndSet(this, 0, 1)) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();
            }
        }
        if (spins > 0) {
            contended++; // inside the gate: no race
        }
    }

    void leave() {
        HELD.setRelease(this, 0);
    }

    /** Entries that had to wait (read for diagnostics; exact only while no producer runs). */
    long contended() {
        return contended;
    }
}
