package org.xnb.tools.usage;

/**
 * What the {@link UsageRecorder} samples: the daemon implements it over its links' and flows'
 * counters. Counters are cumulative (since the link or flow was created); the recorder takes the
 * deltas. Called from the recorder's thread once per interval; reading plain single-writer longs
 * that lanes update is fine (a sample may be a few packets stale, never torn on 64-bit JVMs).
 */
@FunctionalInterface
public interface CounterSnapshotSource {
    /** Reports every link and flow now, one {@link Sink#counters} call each. */
    void sample(Sink sink);

    interface Sink {
        /** @param flow the flow name, or empty for the link itself */
        void counters(String link, String flow, long rbytes, long obytes, long ipkts, long opkts, long drops);
    }
}
