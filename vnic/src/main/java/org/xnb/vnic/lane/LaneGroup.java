package org.xnb.vnic.lane;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;

/**
 * The lanes one thread serves: one lane (DEDICATED) or many (SHARED), as an Agrona-style agent:
 * {@link #doWork()} runs one round, {@link #idle(int)} waits when the round found nothing. A
 * {@link LaneThread} loops over the two; a test may call them itself (Aeron's INVOKER mode).
 *
 * <h2>A round</h2>
 * Lanes are visited by priority (high first, then in the order they were added); a lane that is
 * blocked or throttled is skipped; a lane runs up to {@link LanePriority#batchesPerRound()}
 * batches while it answers CONTINUE.
 *
 * <h2>Idle (the back-off of Agrona's {@code BackoffIdleStrategy})</h2>
 * <pre>
 *  some lane answered CONTINUE       -> reset the back-off, next round at once (every
 *                                       BLOCKED_CHECK_NS also a zero-timeout ppoll on the
 *                                       blocked lanes' fds: a busy lane cannot starve them)
 *  some lane polls an empty source   -> spin (idleSpins rounds), yield (idleYields), then park
 *                                       min..max doubling; the park is a ppoll with that timeout,
 *                                       so a blocked lane sharing the thread still wakes it, and
 *                                       so does a doorbell rung for a polling lane
 *  every lane blocked or throttled   -> ppoll until a notification, the control doorbell, or
 *                                       the earliest refill of a throttled lane or wake
 *                                       timeout of a blocked one (no spinning)
 * </pre>
 *
 * <p>A lane whose work throws is taken out of the group ({@link Lane#failure()}); the others go on.
 *
 * <h2>Membership</h2>
 * {@link #add} and {@link #remove} from any thread go through a bounded command queue and the
 * control doorbell; the group's thread applies them at the start of a round and completes the
 * returned future. No lock is shared with the lanes.
 */
public final class LaneGroup {
    /**
     * While some lanes keep the thread busy, how often it still looks (ppoll, zero timeout) at the
     * fds of the blocked ones, so a busy lane cannot starve a blocked lane sharing its thread.
     */
    public static final long BLOCKED_CHECK_NS = 50_000L;
    /** Commands waiting at most; more means the control plane floods a thread. */
    public static final int COMMAND_CAPACITY = 256;
    private static final int SPINNING = 0;
    private static final int YIELDING = 1;
    private static final int PARKING = 2;

    private static final Logger LOG = System.getLogger(LaneGroup.class.getName());
    private static final VarHandle ROUNDS;
    private static final VarHandle WAITS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ROUNDS = l.findVarHandle(LaneGroup.class, "rounds", long.class);
            WAITS = l.findVarHandle(LaneGroup.class, "waits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int maxLanes;
    private final NanoClock clock;
    private final PollingPolicy policy;
    private final Doorbell control = new Doorbell();
    private final LaneWaiter waiter;
    private final ManyToOneConcurrentArrayQueue<Command> commands =
            new ManyToOneConcurrentArrayQueue<>(COMMAND_CAPACITY);
    private final Lane[] lanes;
    private int count;
    private volatile int size;

    // round results
    private int idleLanes;
    private int blockedLanes;
    private long lastBlockedCheckNs;
    private long nextDeadlineNs;
    private boolean hasDeadline;
    // back-off
    private int state = SPINNING;
    private long spins;
    private long yields;
    private long parkNs;
    // stats: the group's thread writes (release store, no fence per round), anyone reads
    private long rounds;
    private long waits;

    public LaneGroup(String name, int maxLanes, NanoClock clock, PollingPolicy policy) {
        if (maxLanes < 1 || maxLanes > 4096) {
            throw new IllegalArgumentException("maxLanes " + maxLanes + " is not in 1..4096");
        }
        this.name = name;
        this.maxLanes = maxLanes;
        this.clock = clock;
        this.policy = policy;
        this.lanes = new Lane[maxLanes];
        this.waiter = new LaneWaiter(maxLanes, control);
        this.parkNs = policy.idleMinParkNs();
    }

    /** Any thread: the lane joins at the group thread's next round. */
    public CompletableFuture<Void> add(Lane lane) {
        if (lane.work().wakeFd() < 0 && lane.doorbell() == null) {
            throw new IllegalArgumentException(lane + ": a lane with no wake fd and no doorbell could never wake");
        }
        return submit(new Command(lane, true));
    }

    /** Any thread: when the future completes the group's thread will not touch the lane again. */
    public CompletableFuture<Void> remove(Lane lane) {
        return submit(new Command(lane, false));
    }

    private CompletableFuture<Void> submit(Command c) {
        if (!commands.offer(c)) {
            throw new IllegalStateException(name + ": more than " + COMMAND_CAPACITY + " lane commands pending");
        }
        control.ring();
        return c.done;
    }

    /** Wakes the thread from any wait (used to stop it). */
    void wakeUp() {
        control.force();
    }

    /**
     * One round over the lanes.
     *
     * @return batches that did work (0 = nothing to do: call {@link #idle})
     */
    public int doWork() {
        applyCommands();
        sortByPriority();
        ROUNDS.setRelease(this, rounds + 1);
        int worked = 0;
        idleLanes = 0;
        blockedLanes = 0;
        hasDeadline = false;
        for (int i = 0; i < count; i++) {
            Lane lane = lanes[i];
            // read per lane and per batch: a wake-up time is now + the work's timeout, and a "now"
            // from the start of a long round made lanes wake before their deadline and look again
            long now = clock.nanoTime();
            if (lane.blocked() && !lane.wakeIfDue(now)) {
                blockedLanes++;
                if (lane.hasWakeAt()) {
                    deadline(lane.wakeAtNs());
                }
                continue;
            }
            if (lane.throttled() && lane.throttledUntilNs() - now > 0) {
                deadline(lane.throttledUntilNs());
                continue;
            }
            int batches = lane.priority().batchesPerRound();
            for (int b = 0; b < batches; b++) {
                LaneStep s;
                if (b > 0) {
                    now = clock.nanoTime();
                }
                try {
                    s = lane.step(now);
                } catch (RuntimeException e) {
                    failed(i, lane, e);
                    i--; // the next lane moved into this slot
                    break;
                }
                if (s == LaneStep.CONTINUE) {
                    worked++;
                    continue;
                }
                if (s == LaneStep.IDLE) {
                    idleLanes++;
                } else if (s == LaneStep.THROTTLED) {
                    deadline(lane.throttledUntilNs());
                } else {
                    blockedLanes++;
                    if (lane.hasWakeAt()) {
                        deadline(lane.wakeAtNs());
                    }
                }
                break;
            }
        }
        return worked;
    }

    /** ppoll; a lane whose fd broke (POLLERR, POLLHUP, POLLNVAL) leaves the group, the others go on. */
    private void await(long timeoutNs) {
        await(timeoutNs, false);
    }

    private void await(long timeoutNs, boolean pollers) {
        waiter.await(lanes, count, timeoutNs, pollers);
        Lane broken;
        while ((broken = waiter.takeBroken()) != null) {
            for (int i = 0; i < count; i++) {
                if (lanes[i] == broken) {
                    failed(i, broken, new IllegalStateException(waiter.brokenReason()));
                    break;
                }
            }
        }
    }

    /** A lane whose work threw leaves the group; the thread and the other lanes carry on. */
    private void failed(int at, Lane lane, RuntimeException e) {
        lane.failed(e);
        System.arraycopy(lanes, at + 1, lanes, at, count - at - 1);
        lanes[--count] = null;
        size = count;
        LOG.log(Level.ERROR, name + ": lane " + lane + " failed and stopped; the other lanes carry on: " + e, e);
    }

    /** After a round that returned {@code workCount}: back off or wait, as the class comment says. */
    public void idle(int workCount) {
        if (workCount > 0) {
            state = SPINNING;
            spins = 0;
            yields = 0;
            parkNs = policy.idleMinParkNs();
            if (blockedLanes > 0) {
                long now = clock.nanoTime();
                if (now - lastBlockedCheckNs >= BLOCKED_CHECK_NS) {
                    lastBlockedCheckNs = now;
                    await(0);
                }
            }
            return;
        }
        if (!commands.isEmpty()) {
            return;
        }
        if (idleLanes > 0) {
            backOff();
            return;
        }
        long timeout = -1;
        if (hasDeadline) {
            timeout = Math.max(0, nextDeadlineNs - clock.nanoTime());
        }
        WAITS.setRelease(this, waits + 1);
        await(timeout);
    }

    private void backOff() {
        switch (state) {
            case SPINNING:
                Thread.onSpinWait();
                if (++spins > policy.idleSpins()) {
                    state = YIELDING;
                }
                break;
            case YIELDING:
                Thread.yield();
                if (++yields > policy.idleYields()) {
                    state = PARKING;
                }
                break;
            default:
                long timeout = parkNs;
                if (hasDeadline) {
                    timeout = Math.min(timeout, Math.max(0, nextDeadlineNs - clock.nanoTime()));
                }
                await(timeout, true); // a doorbell rung for a polling lane ends the park
                parkNs = Math.min(parkNs * 2, policy.idleMaxParkNs());
                break;
        }
    }

    private void deadline(long at) {
        if (!hasDeadline || at - nextDeadlineNs < 0) {
            nextDeadlineNs = at;
            hasDeadline = true;
        }
    }

    /** INVOKER mode: apply queued commands now (the caller is the group's thread). */
    void applyPending() {
        applyCommands();
    }

    private void applyCommands() {
        Command c;
        while ((c = commands.poll()) != null) {
            try {
                if (c.add) {
                    addNow(c.lane);
                } else {
                    removeNow(c.lane);
                }
                c.done.complete(null);
            } catch (RuntimeException e) {
                c.done.completeExceptionally(e);
            }
        }
    }

    private void addNow(Lane lane) {
        for (int i = 0; i < count; i++) {
            if (lanes[i] == lane) {
                throw new IllegalArgumentException(lane + " is already in " + name);
            }
        }
        if (count == maxLanes) {
            throw new IllegalStateException(name + " serves " + maxLanes + " lanes already");
        }
        lanes[count++] = lane;
        size = count;
    }

    private void removeNow(Lane lane) {
        for (int i = 0; i < count; i++) {
            if (lanes[i] == lane) {
                System.arraycopy(lanes, i + 1, lanes, i, count - i - 1);
                lanes[--count] = null;
                size = count;
                return;
            }
        }
        if (lane.failure() == null) { // a failed lane has left already
            throw new IllegalArgumentException(lane + " is not in " + name);
        }
    }

    /** Stable insertion sort, high priority first: linear when nothing changed, no allocation. */
    private void sortByPriority() {
        for (int i = 1; i < count; i++) {
            Lane l = lanes[i];
            int p = l.priority().ordinal();
            int j = i - 1;
            while (j >= 0 && lanes[j].priority().ordinal() < p) {
                lanes[j + 1] = lanes[j];
                j--;
            }
            lanes[j + 1] = l;
        }
    }

    public String name() {
        return name;
    }

    /** Lanes served (as of the last applied command). */
    public int size() {
        return size;
    }

    /** The lanes in service order; the group's thread only (or after it stopped). */
    Lane[] lanesInOrder() {
        return Arrays.copyOf(lanes, count);
    }

    /** Rounds run so far. */
    public long rounds() {
        return (long) ROUNDS.getAcquire(this);
    }

    /** Times the thread waited in ppoll with every lane blocked or throttled. */
    public long waits() {
        return (long) WAITS.getAcquire(this);
    }

    /** Closes the control doorbell; only after the thread has stopped. */
    void close() {
        control.close();
    }

    private static final class Command {
        final Lane lane;
        final boolean add;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Command(Lane lane, boolean add) {
            this.lane = lane;
            this.add = add;
        }
    }
}
