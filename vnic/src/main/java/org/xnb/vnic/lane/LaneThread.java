package org.xnb.vnic.lane;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A thread running one {@link LaneGroup} (Agrona's {@code AgentRunner}): {@code doWork(); idle()}
 * until stopped, optionally pinned to CPUs first ({@code sched_setaffinity}). A failure in a lane's
 * work ends the thread with one log line; {@link #failure()} says why.
 */
public final class LaneThread implements AutoCloseable {
    /** How long {@link #close()} waits for the thread. */
    public static final long JOIN_MS = 5_000;
    private static final Logger LOG = System.getLogger(LaneThread.class.getName());

    private final LaneGroup group;
    private final int[] cpus;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile int tid = -1;
    private volatile Throwable failure;

    /** @param cpus CPUs to pin to; empty = leave the affinity alone */
    public LaneThread(LaneGroup group, int... cpus) {
        this.group = group;
        this.cpus = cpus.clone();
        this.thread = new Thread(this::run, group.name());
        this.thread.setDaemon(true);
    }

    /** Starts the thread and returns once it is pinned (or failed to pin). */
    public LaneThread start() {
        thread.start();
        try {
            if (!started.await(JOIN_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(group.name() + ": thread did not start within " + JOIN_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + group.name(), e);
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException(group.name() + ": " + f.getMessage(), f);
        }
        return this;
    }

    private void run() {
        try {
            tid = CpuAffinity.currentTid();
            if (cpus.length > 0) {
                CpuAffinity.pinCurrentThread(cpus);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            started.countDown();
            return;
        }
        started.countDown();
        try {
            while (running) {
                group.idle(group.doWork());
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.log(Level.ERROR, group.name() + ": lane thread failed, its lanes stop: " + e, e);
        }
    }

    public LaneGroup group() {
        return group;
    }

    /** The kernel thread id once started, else -1. */
    public int tid() {
        return tid;
    }

    /** The Java thread (its name is the group's). */
    public Thread thread() {
        return thread;
    }

    public int[] cpus() {
        return cpus.clone();
    }

    public boolean alive() {
        return thread.isAlive();
    }

    public Throwable failure() {
        return failure;
    }

    /** Stops the thread (bounded join); the group's lanes are left to their owner. */
    @Override
    public void close() {
        running = false;
        group.wakeUp();
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "{0}: thread did not stop within {1} ms", group.name(), JOIN_MS);
            return;
        }
        group.close();
    }

    @Override
    public String toString() {
        return group.name() + (cpus.length > 0 ? " cpus " + Arrays.toString(cpus) : "");
    }
}
