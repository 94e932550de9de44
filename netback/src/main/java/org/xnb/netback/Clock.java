package org.xnb.netback;

/**
 * Monotonic time in nanoseconds, injectable so that tests can drive the Rx timeouts (10 s drain,
 * 60 s stall) without waiting.
 */
@FunctionalInterface
public interface Clock {

    long nanoTime();

    /** {@link System#nanoTime()}. */
    Clock SYSTEM = System::nanoTime;
}
