package org.xnb.netback.tx;

import org.xnb.netback.Clock;

/**
 * Credit-based scheduling of a guest's transmit side: the toolstack's {@code rate} node
 * ("{@code <bytes>,<usec>}") allows {@code bytes} per {@code usec} window, per queue. Re-implements
 * Linux netback ({@code drivers/net/xen-netback/netback.c}: {@code tx_add_credit},
 * {@code tx_credit_exceeded}, {@code xenvif_tx_credit_callback}; {@code interface.c}
 * {@code xenvif_init_queue}; {@code xenbus.c} {@code connect} and {@code xen_net_rate_changed}):
 *
 * <ul>
 *   <li>A packet whose first-slot size (the whole packet) fits the remaining credit is sent and
 *       the credit goes down by its size (it may not go below zero: a bigger packet waits).</li>
 *   <li>A bigger packet: if the current window has ended, the window restarts now and one window's
 *       credit is added; if it still does not fit, the queue is rate-limited until the end of the
 *       window ({@code mod_timer(next_credit)}), the window start moves there, and the engine
 *       stops consuming the ring (the request stays unconsumed: nothing is dropped).</li>
 *   <li>Adding credit never exceeds the burst {@code max(128 KiB, credit_bytes)}: a 64 KiB GSO
 *       packet can always get through even with a tiny rate ("Otherwise the interface can seize
 *       up"), and an idle guest saves at most one window (or 128 KiB).</li>
 *   <li>No rate = unlimited: {@code credit_bytes = ~0, credit_usec = 0}.</li>
 *   <li>A live change ({@code xen_net_rate_changed}): a pending refill fires at once with the new
 *       rate; otherwise a remaining credit above the new {@code credit_bytes} is cut down to it.</li>
 * </ul>
 *
 * <p>No timer thread: Linux's timer is replaced by {@link #retryAtNanos()}, the time at which the
 * caller should run the engine again (it should not poll before); the refill that Linux's timer
 * callback does happens at the first {@link #tryConsume} at or after that time, before that packet
 * is counted, so the credit is what Linux would have at that moment. Time is nanoseconds from an
 * injectable {@link Clock}; Linux works in jiffies ({@code msecs_to_jiffies(credit_usec / 1000)},
 * so windows below 1 ms are 0 there), we keep the microseconds exactly.
 *
 * <p>Byte counts are unsigned 64-bit values as Linux's {@code unsigned long}. Single-threaded (the
 * Tx engine's thread); {@link #setRate} must be called on that thread too.
 */
public final class TxCredit {
    /** {@code max_burst} floor: a 128 KiB jumbo packet can always pass. */
    public static final long MIN_BURST = 131072L;
    /** {@code ~0UL}. */
    public static final long UNLIMITED = -1L;
    /** {@link #retryAtNanos()} when not rate-limited. */
    public static final long NOT_LIMITED = Long.MIN_VALUE;

    private final Clock clock;
    private long creditBytes = UNLIMITED;
    private long creditNanos;
    private long remaining = UNLIMITED;
    private long windowStart;
    /** Linux's credit_timeout timer: its expiry, valid while {@link #timerPending}. */
    private long timerDeadline;
    private boolean timerPending;
    private long limitedCount;

    /** Unlimited ({@code xenvif_init_queue}). */
    public TxCredit(Clock clock) {
        this.clock = clock;
        this.windowStart = clock.nanoTime();
    }

    /**
     * The rate at connect time ({@code connect}: credit_bytes, credit_usec, remaining = credit_bytes,
     * window starts now). {@code bytes} {@link #UNLIMITED} (or usec 0 with it) = no limit.
     */
    public void start(long bytes, long usec) {
        creditBytes = bytes;
        creditNanos = toNanos(usec);
        remaining = bytes;
        windowStart = clock.nanoTime();
        timerPending = false;
    }

    /**
     * A live change of {@code rate} ({@code xen_net_rate_changed}).
     */
    public void setRate(long bytes, long usec) {
        creditBytes = bytes;
        creditNanos = toNanos(usec);
        if (timerPending) {
            // mod_timer_pending(timer, jiffies): the pending refill fires now, with the new rate
            timerPending = false;
            addCredit();
        } else if (Long.compareUnsigned(remaining, creditBytes) > 0) {
            remaining = creditBytes;
        }
    }

    /**
     * Whether a packet of {@code size} bytes may be sent now; if so its size is taken from the
     * credit. If not, the queue is rate-limited until {@link #retryAtNanos()}.
     */
    public boolean tryConsume(int size) {
        if (timerPending && clock.nanoTime() - timerDeadline >= 0) {
            // xenvif_tx_credit_callback: Linux's timer would have refilled at the deadline,
            // before this packet (the order matters for the burst cap)
            timerPending = false;
            addCredit();
        }
        long bytes = size & 0xffffffffL;
        if (Long.compareUnsigned(bytes, remaining) > 0 && exceeded(bytes)) {
            return false;
        }
        remaining -= bytes;
        return true;
    }

    /** tx_credit_exceeded. */
    private boolean exceeded(long size) {
        long now = clock.nanoTime();
        if (timerPending) { // "Timer could already be pending in rare cases."
            return true;
        }
        long nextCredit = saturatingAdd(windowStart, creditNanos);
        if (now - nextCredit >= 0) {
            windowStart = now;
            addCredit();
        }
        if (Long.compareUnsigned(size, remaining) > 0) {
            timerPending = true;
            timerDeadline = nextCredit;
            windowStart = nextCredit;
            limitedCount++;
            return true;
        }
        return false;
    }

    /** tx_add_credit. */
    private void addCredit() {
        long maxBurst = Long.compareUnsigned(creditBytes, MIN_BURST) > 0 ? creditBytes : MIN_BURST;
        long maxCredit = remaining + creditBytes;
        if (Long.compareUnsigned(maxCredit, remaining) < 0) {
            maxCredit = UNLIMITED; // wrapped: clamp to ULONG_MAX
        }
        remaining = Long.compareUnsigned(maxCredit, maxBurst) < 0 ? maxCredit : maxBurst;
    }

    /** Whether the queue waits for a refill (Linux {@code rate_limited} with the timer pending). */
    public boolean rateLimited() {
        return timerPending && clock.nanoTime() - timerDeadline < 0;
    }

    /**
     * When to run the engine again, or {@link #NOT_LIMITED}: the refill's time while it is pending,
     * also once that time has passed (then "at once"). A caller that asked {@link #rateLimited()}
     * just before the deadline and this just after must still get a time: an answer of "not
     * limited" there let a vif thread block with no timeout while its guest, which had queued
     * everything with one kick, waited for the refill.
     */
    public long retryAtNanos() {
        return timerPending ? timerDeadline : NOT_LIMITED;
    }

    /** Unsigned bytes left in this window. */
    public long remaining() {
        return remaining;
    }

    public long creditBytes() {
        return creditBytes;
    }

    public boolean unlimited() {
        return creditBytes == UNLIMITED;
    }

    /** Times a packet had to wait for credit. */
    public long limitedCount() {
        return limitedCount;
    }

    private static long toNanos(long usec) {
        if (usec < 0 || usec > Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return usec * 1000;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
