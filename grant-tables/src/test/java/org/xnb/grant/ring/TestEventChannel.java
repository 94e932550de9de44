package org.xnb.grant.ring;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process stand-in for one direction of an event channel: {@link #notifyPeer()} sets a
 * pending bit and unparks the waiter, like a Xen event that stays pending until the receiver
 * takes it. {@link #await(long)} is bounded: a wait that outlives its deadline is a lost wake-up
 * and fails the test instead of hanging it.
 */
final class TestEventChannel {
    private final String name;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private volatile Thread waiter;

    TestEventChannel(String name) {
        this.name = name;
    }

    void notifyPeer() {
        notifications.incrementAndGet();
        pending.set(true);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Blocks until notified; throws if no notification arrives within {@code timeoutMs}. */
    void await(long timeoutMs) {
        waits.incrementAndGet();
        waiter = Thread.currentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!pending.getAndSet(false)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("lost wake-up: no notification on " + name + " within " + timeoutMs + " ms");
            }
            LockSupport.parkNanos(this, left);
        }
    }

    long notifications() {
        return notifications.get();
    }

    long waits() {
        return waits.get();
    }
}
