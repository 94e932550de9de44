package org.xnb.netback.vif;

/**
 * XSA-332: a guest that fires its event channel without giving us anything to do must not be able
 * to keep a backend thread busy. Re-implements Linux's "lateeoi" accounting
 * ({@code drivers/xen/events/events_base.c}: {@code xen_irq_lateeoi_locked} with
 * {@code XEN_EOI_FLAG_SPURIOUS}, as netback's {@code xenvif_tx_interrupt} /
 * {@code xenvif_rx_interrupt} / {@code xenvif_interrupt} pass it when the ring held no new work):
 *
 * <ul>
 *   <li>an event with work resets the port's spurious count and the port is unmasked at once;</li>
 *   <li>a spurious event increments it; from the second spurious event in a row the unmask (Linux's
 *       EOI) is held back for {@code 2^(count-2)} ms (Linux: jiffies; we take HZ = 1000), at most
 *       {@link #MAX_DELAY_MS}; the count stops growing once the delay is at its maximum;</li>
 *   <li>while a port is held it stays masked, so a storm of notifications only sets its pending
 *       bit: the thread wakes about once per delay, not once per notification. An event that was
 *       real (the guest also queued requests) is delivered when the port is unmasked.</li>
 * </ul>
 *
 * <p>An event counts as having work if its ring holds unconsumed requests or if we consumed some
 * since that ring's previous event ({@link #consumedSinceLastEvent}).
 *
 * <p>Two slots: the Tx port and, with split event channels, the Rx port. Single-threaded (the vif
 * thread); the counters are read by tests after the fact.
 */
final class SpuriousEventGuard {
    /** Linux caps the delay at HZ jiffies: one second. */
    static final long MAX_DELAY_MS = 1_000;
    static final int TX = 0;
    static final int RX = 1;
    private static final long NONE = Long.MIN_VALUE;

    private final int[] spuriousInARow = new int[2];
    /** Per ring (TX, RX): our consumer index when that ring's previous event was taken. */
    private final int[] consumerAtEvent = new int[2];
    private final long[] unmaskAt = {NONE, NONE};
    private volatile long spuriousEvents;
    private volatile long deferredUnmasks;

    /**
     * An event of {@code slot}'s port was taken (the port is masked now).
     *
     * @param hadWork whether the rings held new work for it
     * @return whether to unmask now; if not, {@link #takeDue} returns the slot when it is time
     */
    boolean onEvent(int slot, boolean hadWork, long nowNanos) {
        if (hadWork) {
            spuriousInARow[slot] = 0;
            return true;
        }
        spuriousEvents++;
        int n = spuriousInARow[slot];
        if ((1L << n) < (MAX_DELAY_MS << 2)) { // Linux: (1 << spurious_cnt) < (HZ << 2)
            n++;
            spuriousInARow[slot] = n;
        }
        if (n <= 1) {
            return true;
        }
        long delayMs = Math.min(1L << (n - 2), MAX_DELAY_MS);
        unmaskAt[slot] = nowNanos + delayMs * 1_000_000L;
        deferredUnmasks++;
        return false;
    }

    /**
     * Whether {@code ring}'s consumer index (ours, so the guest cannot fake it) moved since that
     * ring's previous event was taken, recording it. An event whose requests a batch took already
     * announced real work: the lane serves both rings, so a batch run for the other ring (or one
     * running while the event was in flight) takes them first. Linux meets this less: its Tx
     * side runs only after a Tx interrupt, its EOI held until NAPI is done. Counting such events
     * as spurious delayed the port's unmask up to a second while a TCP sender waited on it.
     */
    boolean consumedSinceLastEvent(int ring, int consumer) {
        boolean moved = consumer != consumerAtEvent[ring];
        consumerAtEvent[ring] = consumer;
        return moved;
    }

    /**
     * Holds {@code slot}'s unmask until {@code atNanos} for another reason (the Tx queue waits for
     * credit); a later hold already in place stays.
     */
    void holdUntil(int slot, long atNanos) {
        if (unmaskAt[slot] == NONE || atNanos - unmaskAt[slot] > 0) {
            unmaskAt[slot] = atNanos;
        }
    }

    /** Makes a held unmask of {@code slot} due now (the reason for a credit hold went away). */
    void dueNow(int slot, long nowNanos) {
        if (unmaskAt[slot] != NONE) {
            unmaskAt[slot] = nowNanos;
        }
    }

    /** A slot whose held unmask is due (cleared), or -1. */
    int takeDue(long nowNanos) {
        for (int s = 0; s < 2; s++) {
            if (unmaskAt[s] != NONE && nowNanos - unmaskAt[s] >= 0) {
                unmaskAt[s] = NONE;
                return s;
            }
        }
        return -1;
    }

    /** Nanoseconds until the next held unmask, or -1 if none is held. */
    long nanosUntilNext(long nowNanos) {
        long best = -1;
        for (int s = 0; s < 2; s++) {
            if (unmaskAt[s] != NONE) {
                long wait = Math.max(0, unmaskAt[s] - nowNanos);
                best = best < 0 ? wait : Math.min(best, wait);
            }
        }
        return best;
    }

    boolean held(int slot) {
        return unmaskAt[slot] != NONE;
    }

    /** Events that found no new work. */
    long spuriousEvents() {
        return spuriousEvents;
    }

    /** Unmasks held back by a delay. */
    long deferredUnmasks() {
        return deferredUnmasks;
    }
}
