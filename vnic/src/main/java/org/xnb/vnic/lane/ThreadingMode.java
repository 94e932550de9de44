package org.xnb.vnic.lane;

/** How lanes get threads, as Aeron's {@code ThreadingMode}. */
public enum ThreadingMode {
    /** One thread per lane, pinned to the lane's CPUs if it has any. */
    DEDICATED,
    /** A few threads, each serving many (quiet) lanes in priority order. */
    SHARED,
    /** No thread: the caller drives {@link LaneGroup#doWork()} (tests, an embedding loop). */
    INVOKER
}
