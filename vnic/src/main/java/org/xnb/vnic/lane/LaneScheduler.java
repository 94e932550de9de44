package org.xnb.vnic.lane;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.NanoClock;
import org.xnb.vnic.stat.CountersFile;

/**
 * Opens lanes and gives them threads by {@link ThreadingMode}: DEDICATED (a {@link LaneThread} per
 * lane, pinned to the lane's CPUs), SHARED ({@code sharedThreads} threads pinned to
 * {@code sharedCpus}, a new lane going to the one with fewest lanes) or INVOKER (one group the
 * caller drives). Each lane gets an id, a doorbell and its counters in the {@link CountersFile}.
 * Control path: methods take this object's monitor; the lanes' data path never does.
 */
public final class LaneScheduler implements AutoCloseable {
    /** Lanes one shared thread serves at most. */
    public static final int MAX_SHARED_LANES = 1024;
    private static final long COMMAND_WAIT_MS = 5_000;

    private final ThreadingMode mode;
    private final CountersFile counters;
    private final PollingPolicy policy;
    private final NanoClock clock;
    private final int[] sharedCpus;
    private final List<LaneThread> shared = new ArrayList<>();
    private final LaneGroup invoker;
    private final Map<Lane, LaneThread> dedicated = new IdentityHashMap<>();
    private final Map<Lane, LaneGroup> groupOf = new IdentityHashMap<>();
    private int nextId = 1;
    private boolean closed;

    public LaneScheduler(ThreadingMode mode, CountersFile counters, PollingPolicy policy, NanoClock clock,
            int sharedThreads, int... sharedCpus) {
        if (mode == ThreadingMode.SHARED && (sharedThreads < 1 || sharedThreads > 256)) {
            throw new IllegalArgumentException("shared threads " + sharedThreads + " is not in 1..256");
        }
        this.mode = mode;
        this.counters = counters;
        this.policy = policy;
        this.clock = clock;
        this.sharedCpus = sharedCpus.clone();
        this.invoker = mode == ThreadingMode.INVOKER ? new LaneGroup("lanes-invoker", MAX_SHARED_LANES, clock, policy)
                : null;
        if (mode == ThreadingMode.SHARED) {
            for (int i = 0; i < sharedThreads; i++) {
                LaneGroup g = new LaneGroup("lanes-shared-" + i, MAX_SHARED_LANES, clock, policy);
                LaneThread t = new LaneThread(g, this.sharedCpus);
                try {
                    t.start();
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
                shared.add(t);
            }
        }
    }

    /**
     * Opens a lane and puts it in service.
     *
     * @param link     link (VNIC) name, for counters and thread names
     * @param index    lane number within the link (netfront queue number)
     * @param maxBwBps maxbw in bits per second, 0 = unlimited
     * @param cpus     DEDICATED: CPUs for the lane's thread (empty = any); ignored otherwise
     */
    public synchronized Lane open(String link, int index, LaneWork work, LanePriority priority, long maxBwBps,
            int... cpus) {
        if (closed) {
            throw new IllegalStateException("lane scheduler closed");
        }
        int id = nextId++;
        LaneCounters c = LaneCounters.allocate(counters, id, index, link);
        Doorbell bell = null;
        LaneThread thread = null;
        try {
            bell = new Doorbell();
            Lane lane = new Lane(id, link, index, work, c, policy, bell, priority);
            lane.setMaxBandwidth(maxBwBps);
            work.onOpen(lane);
            LaneGroup group;
            if (mode == ThreadingMode.DEDICATED) {
                group = new LaneGroup("lane-" + link + "/" + index, 1, clock, policy);
                thread = new LaneThread(group, cpus);
                thread.start(); // fails if the CPUs cannot be used; the catch below closes it
            } else if (mode == ThreadingMode.SHARED) {
                group = leastLoaded();
            } else {
                group = invoker;
            }
            CompletableFutures.await(group.add(lane), COMMAND_WAIT_MS, mode == ThreadingMode.INVOKER ? invoker : null);
            groupOf.put(lane, group);
            if (thread != null) {
                dedicated.put(lane, thread);
            }
            return lane;
        } catch (RuntimeException e) {
            if (thread != null) {
                thread.close();
            }
            if (bell != null) {
                bell.close();
            }
            c.close();
            throw e;
        }
    }

    private LaneGroup leastLoaded() {
        LaneGroup best = null;
        for (LaneThread t : shared) {
            if (best == null || t.group().size() < best.size()) {
                best = t.group();
            }
        }
        return best;
    }

    /** Takes the lane out of service, then frees its counters and doorbell. */
    public synchronized void close(Lane lane) {
        LaneGroup group = groupOf.remove(lane);
        if (group == null) {
            return;
        }
        LaneThread thread = dedicated.remove(lane);
        if (thread != null) {
            thread.close(); // its only lane: stopping the thread is enough
        } else if (lane.failure() == null) { // a failed lane already left its group
            CompletableFutures.await(group.remove(lane), COMMAND_WAIT_MS, mode == ThreadingMode.INVOKER ? invoker : null);
        }
        if (lane.doorbell() != null) {
            lane.doorbell().close();
        }
        lane.counters().close();
    }

    /** INVOKER mode: the group the caller drives. */
    public LaneGroup invoker() {
        if (invoker == null) {
            throw new IllegalStateException("not in INVOKER mode but " + mode);
        }
        return invoker;
    }

    /** The thread serving {@code lane}, or null in INVOKER mode. */
    public synchronized LaneThread threadOf(Lane lane) {
        LaneThread t = dedicated.get(lane);
        if (t != null) {
            return t;
        }
        LaneGroup g = groupOf.get(lane);
        for (LaneThread s : shared) {
            if (s.group() == g) {
                return s;
            }
        }
        return null;
    }

    public ThreadingMode mode() {
        return mode;
    }

    /** Closes every lane and stops every thread; the counters file stays with its owner. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Lane lane : new ArrayList<>(groupOf.keySet())) {
            close(lane);
        }
        for (LaneThread t : shared) {
            t.close();
        }
        shared.clear();
    }

    /** Waiting for a group command; in INVOKER mode this thread is the group's, so it applies them. */
    private static final class CompletableFutures {
        static void await(java.util.concurrent.CompletableFuture<Void> f, long ms, LaneGroup driveInline) {
            if (driveInline != null) {
                driveInline.applyPending();
            }
            try {
                f.get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
            } catch (TimeoutException e) {
                throw new IllegalStateException("lane thread did not take the command within " + ms + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
