package org.xnb.vnic.lane;

import java.util.Objects;
import org.xnb.vnic.stat.LaneCounter;

/**
 * A lane: one source of packets (a netfront queue, a TAP queue) with its own counters, its own mode
 * and its own bandwidth bucket, shared with no other lane. This class is the decision logic only:
 * a {@link LaneThread} (or a test) calls {@link #step(long)} and does what it answers; the lane
 * itself never blocks, sleeps or reads a clock, so it runs the same under a fake clock.
 *
 * <h2>Dynamic polling (Crossbow)</h2>
 * <pre>
 *                 batch >= pollBatch, or pollArrivals batches within arrivalWindow,
 *                 or out of tokens
 *   INTERRUPT  ---------------------------------------------------------------->  POLL
 *   notifications armed;                                         notifications suppressed;
 *   empty batch: arm + final check,                              empty poll: IDLE (back off);
 *   then BLOCK until a notification              no packet for quietNs: arm + final check
 *             <---------------------------------------------------------------
 * </pre>
 * Packets of batches run in interrupt mode count as INTRS, those run in poll mode as POLLS (with
 * the chain-length histogram). A lane with {@code maxbw} checks its {@link TokenBucket} before each
 * batch and debits the bytes its work counted in ({@link LaneCounters#in}); when empty it answers
 * THROTTLED with the refill time (in poll mode: a throttled lane does not want notifications).
 * {@link PollingPolicy#mode()} may pin the lane to one mode: INTERRUPT_ONLY never switches on
 * batches or arrivals, POLL_ONLY enters poll mode at its first step and never leaves it.
 *
 * <p>Threading: {@link #step}, {@link #onWake} and the work run on the lane's thread only;
 * {@link #setMaxBandwidth}, {@link #setPriority} and {@link #doorbell()} may be used from any thread.
 */
public final class Lane {
    private final int id;
    private final String link;
    private final int index;
    private final LaneWork work;
    private final LaneCounters counters;
    private final PollingPolicy policy;
    private final Doorbell doorbell;
    private volatile LanePriority priority;
    /** Bits per second asked for (0 = unlimited); applied at the next step, on the lane's thread. */
    private volatile long requestedMaxBw;
    private volatile Throwable failure;

    private long appliedMaxBw;
    private TokenBucket bucket;
    private LaneMode mode = LaneMode.INTERRUPT;
    private boolean blocked;
    /** While blocked: whether {@link #wakeAtNs} ends the block even without a notification. */
    private boolean wakeAtSet;
    private long wakeAtNs;
    private long throttledUntilNs;
    private boolean throttled;
    private long lastWorkNs;
    private long windowStartNs;
    private int arrivals;

    /**
     * @param doorbell woken by producers in this process (frames queued for the lane); may be null
     *                 for a lane whose only notifications come through {@link LaneWork#wakeFd()}
     */
    public Lane(int id, String link, int index, LaneWork work, LaneCounters counters, PollingPolicy policy,
            Doorbell doorbell, LanePriority priority) {
        this.id = id;
        this.link = Objects.requireNonNull(link, "link");
        this.index = index;
        this.work = Objects.requireNonNull(work, "work");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.doorbell = doorbell;
        this.priority = Objects.requireNonNull(priority, "priority");
    }

    /** One batch and the mode decision after it. */
    public LaneStep step(long nowNs) {
        applyRate(nowNs);
        throttled = false;
        if (bucket != null && !bucket.hasTokens(nowNs)) {
            throttled = true;
            if (mode == LaneMode.INTERRUPT) {
                enterPoll(nowNs);
            }
            throttledUntilNs = bucket.refillAtNs(nowNs);
            counters.throttled();
            return LaneStep.THROTTLED;
        }
        if (mode == LaneMode.INTERRUPT && policy.mode() == PollingMode.POLL_ONLY) {
            enterPoll(nowNs); // from the first step on (and after nothing else could switch it back)
        }
        long before = counters.inBytes();
        int n = work.doWork();
        if (n < 0) {
            throw new IllegalStateException(link + "/" + index + ": doWork returned " + n);
        }
        if (bucket != null) {
            bucket.consume(counters.inBytes() - before);
        }
        if (mode == LaneMode.INTERRUPT) {
            if (n > 0) {
                counters.interruptPath(n);
                if (policy.mode() == PollingMode.DYNAMIC && (n >= policy.pollBatch() || frequent(nowNs))) {
                    enterPoll(nowNs);
                }
                return LaneStep.CONTINUE;
            }
            return armOrBlock(nowNs);
        }
        if (n > 0) {
            counters.pollPath(n);
            lastWorkNs = nowNs;
            return LaneStep.CONTINUE;
        }
        if (nowNs - lastWorkNs < policy.quietNs() || policy.mode() == PollingMode.POLL_ONLY) {
            return LaneStep.IDLE;
        }
        mode = LaneMode.INTERRUPT;
        counters.mode(LaneMode.INTERRUPT);
        windowStartNs = nowNs;
        arrivals = 0;
        return armOrBlock(nowNs);
    }

    /**
     * After the lane blocked: a notification came. {@code workFd} / {@code bell} say which fd was
     * readable ({@link LaneWork#wakeFd()}, {@link #doorbell()}).
     */
    public void onWake(boolean workFd, boolean bell) {
        if (workFd) {
            work.onWake();
        }
        if (bell && doorbell != null) {
            doorbell.consume();
        }
        if (blocked) {
            blocked = false;
            wakeAtSet = false;
            counters.unblocked();
        }
    }

    /**
     * The lane's thread: a blocked lane whose {@link LaneWork#wakeTimeoutNs()} ran out by
     * {@code nowNs} stops blocking (counted as an unblock); returns whether it did.
     */
    public boolean wakeIfDue(long nowNs) {
        if (!blocked || !wakeAtSet || nowNs - wakeAtNs < 0) {
            return false;
        }
        onWake(false, false);
        return true;
    }

    /** While {@link #blocked()}: whether the block ends by itself at {@link #wakeAtNs()}. */
    public boolean hasWakeAt() {
        return blocked && wakeAtSet;
    }

    public long wakeAtNs() {
        return wakeAtNs;
    }

    private LaneStep armOrBlock(long nowNs) {
        if (work.armNotifications()) {
            return LaneStep.CONTINUE; // work slipped in before the arm: no sleep
        }
        long timeout = work.wakeTimeoutNs();
        wakeAtSet = timeout >= 0;
        wakeAtNs = nowNs + Math.max(0, timeout);
        blocked = true;
        counters.blocked();
        return LaneStep.BLOCK;
    }

    private boolean frequent(long nowNs) {
        if (nowNs - windowStartNs > policy.arrivalWindowNs()) {
            windowStartNs = nowNs;
            arrivals = 0;
        }
        return ++arrivals >= policy.pollArrivals();
    }

    private void enterPoll(long nowNs) {
        work.suppressNotifications();
        mode = LaneMode.POLL;
        counters.mode(LaneMode.POLL);
        lastWorkNs = nowNs;
    }

    private void applyRate(long nowNs) {
        long want = requestedMaxBw;
        if (want == appliedMaxBw) {
            return;
        }
        appliedMaxBw = want;
        if (want == 0) {
            bucket = null;
        } else if (bucket == null) {
            bucket = new TokenBucket(want, nowNs);
        } else {
            bucket.setRate(want, TokenBucket.defaultBurst(want));
        }
    }

    /** {@code maxbw} in bits per second, 0 = unlimited. Any thread; takes effect at the next step. */
    public void setMaxBandwidth(long bitsPerSecond) {
        if (bitsPerSecond != 0) {
            TokenBucket.defaultBurst(bitsPerSecond); // checks the range here, on the caller's thread
        }
        requestedMaxBw = bitsPerSecond;
    }

    public long maxBandwidth() {
        return requestedMaxBw;
    }

    public void setPriority(LanePriority priority) {
        this.priority = Objects.requireNonNull(priority, "priority");
    }

    public LanePriority priority() {
        return priority;
    }

    /** The mode as the lane's thread sees it; other threads read {@link LaneCounter#MODE}. */
    public LaneMode mode() {
        return mode;
    }

    /** Lane's thread: whether it waits for a notification. */
    public boolean blocked() {
        return blocked;
    }

    /** Set by the lane's thread when its work threw; the lane is out of service after it. */
    void failed(Throwable e) {
        failure = e;
    }

    /** Why the lane stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the last step answered {@link LaneStep#THROTTLED}. */
    public boolean throttled() {
        return throttled;
    }

    /** After {@link LaneStep#THROTTLED}: when to step again. */
    public long throttledUntilNs() {
        return throttledUntilNs;
    }

    public int id() {
        return id;
    }

    public String link() {
        return link;
    }

    public int index() {
        return index;
    }

    public LaneWork work() {
        return work;
    }

    public LaneCounters counters() {
        return counters;
    }

    /** May be null. */
    public Doorbell doorbell() {
        return doorbell;
    }

    public PollingPolicy policy() {
        return policy;
    }

    @Override
    public String toString() {
        return link + "/" + index;
    }
}
