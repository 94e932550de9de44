package org.xnb.tools.usage;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns cumulative counters into interval records: every {@code intervalMillis} it samples the
 * {@link CounterSnapshotSource}, and for each link and flow appends the difference to the previous
 * sample as a {@link UsageRecord} covering [previous sample, this sample]. The first sample is
 * the baseline (nothing written). A link or flow that appears later was created during the
 * interval, so its counters (cumulative since it was created) count from zero; likewise a counter
 * that went down (the VNIC was recreated) starts over from zero. Runs on its own daemon thread ({@link #start}) or is driven by
 * {@link #sampleNow} (tests, and a final sample at a graceful stop).
 */
public final class UsageRecorder implements AutoCloseable {
    private final CounterSnapshotSource source;
    private final UsageJournal journal;
    private final long intervalMillis;
    private final LongSupplier clock;
    private static final long[] CREATED = new long[5]; // a link's counters when it was made
    private final Map<String, long[]> previous = new HashMap<>(); // key link/flow -> counters
    private long previousMillis = -1;
    private long recordsWritten;
    private Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException lastError;

    public UsageRecorder(CounterSnapshotSource source, UsageJournal journal, long intervalMillis, LongSupplier clock) {
        if (intervalMillis < 10) {
            throw new IllegalArgumentException("interval " + intervalMillis + " ms is too short (>= 10 ms)");
        }
        this.source = Objects.requireNonNull(source);
        this.journal = Objects.requireNonNull(journal);
        this.intervalMillis = intervalMillis;
        this.clock = Objects.requireNonNull(clock);
    }

    public UsageRecorder(CounterSnapshotSource source, UsageJournal journal, long intervalMillis) {
        this(source, journal, intervalMillis, System::currentTimeMillis);
    }

    /** Samples now and appends the records of the interval that just ended; returns how many. */
    public synchronized int sampleNow() {
        long now = clock.getAsLong();
        long start = previousMillis;
        int[] written = {0};
        Map<String, long[]> seen = new HashMap<>();
        source.sample((link, flow, rbytes, obytes, ipkts, opkts, drops) -> {
            String key = link + "\0" + flow;
            long[] cur = {rbytes, obytes, ipkts, opkts, drops};
            seen.put(key, cur);
            long[] prev = previous.getOrDefault(key, CREATED);
            if (start < 0 || now <= start) {
                return;
            }
            long[] d = new long[5];
            for (int i = 0; i < 5; i++) {
                d[i] = cur[i] >= prev[i] ? cur[i] - prev[i] : cur[i];
            }
            journal.append(new UsageRecord(link, flow, start, now, d[0], d[1], d[2], d[3], d[4]));
            written[0]++;
        });
        previous.clear();
        previous.putAll(seen); // links that disappeared are forgotten
        previousMillis = now;
        recordsWritten += written[0];
        return written[0];
    }

    /** The last exception a sample on the recorder thread threw, or null (the daemon logs it). */
    public RuntimeException lastError() {
        return lastError;
    }

    public synchronized long recordsWritten() {
        return recordsWritten;
    }

    /** Starts the sampling thread; the first sample (the baseline) is taken at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        sampleNow();
        startThread();
    }

    /**
     * Starts the sampling thread with no baseline sample: every counter was zero at
     * {@code sinceMillis} (the daemon's counters file was made then), so the first interval is
     * [sinceMillis, first sample] and nothing counted since then is lost, however late this runs.
     */
    public synchronized void startCountingFrom(long sinceMillis) {
        if (thread != null || previousMillis >= 0) {
            throw new IllegalStateException("already started");
        }
        previousMillis = sinceMillis;
        startThread();
    }

    private void startThread() {
        thread = new Thread(this::run, "xnb-usage-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime() + intervalMillis * 1_000_000L;
        while (!stopping) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                sampleNow();
            } catch (RuntimeException e) { // a failing source or journal: keep the thread, report it
                lastError = e;
            }
            next += intervalMillis * 1_000_000L;
        }
    }

    /** Stops the thread after a last sample, so the time since the previous interval is kept. */
    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            stopping = true;
            java.util.concurrent.locks.LockSupport.unpark(t);
            t.join();
            sampleNow();
        }
    }
}
