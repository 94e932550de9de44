package org.xnb.tools.daemon;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xnb.tools.metrics.LaneMetrics;
import org.xnb.tools.metrics.MetricsRegistry;
import org.xnb.tools.metrics.MetricsServer;
import org.xnb.tools.usage.CounterSnapshotSource;
import org.xnb.tools.usage.LaneUsageSource;
import org.xnb.tools.usage.UsageJournal;
import org.xnb.tools.usage.UsageRecorder;
import org.xnb.vnic.stat.CountersFileReader;

/**
 * The daemon's services over its own counters file, none of them on a lane thread: usage
 * accounting (a {@link UsageRecorder} thread appending each link's interval to the usage journal)
 * and the Prometheus endpoint (a {@link MetricsServer} reading every lane counter at scrape time).
 * Both read the file through one read-only mapping, as {@code dlstat} does, so they never touch
 * the lanes. The journal is opened on its own thread, so usage accounting never delays the
 * daemon's start nor stops netback if it fails (it is logged); it counts from the moment the
 * counters file was made (every lane starts at zero), so nothing is missed meanwhile.
 * {@link #close} takes the last (partial) interval, so call it before the vifs go.
 */
final class CounterServices implements AutoCloseable {
    private static final Logger LOG = System.getLogger("org.xnb.tools.daemon");
    static final int MAX_INTERVAL_SECONDS = 86_400;
    /** How long a stop waits for a journal still being opened. */
    private static final long OPEN_WAIT_MS = 5_000;

    private final CountersFileReader counters;
    private UsageJournal journal; // guarded by this, like recorder and closed
    private volatile UsageRecorder recorder;
    private Thread opener;
    private MetricsServer metrics;
    private RuntimeException reported;
    private boolean closed;

    private CounterServices(CountersFileReader counters) {
        this.counters = counters;
    }

    /** What is wrong with these settings (for a picocli error), or null; creates the journal directory. */
    static String problem(Path journal, int intervalSeconds, int metricsPort) {
        if (intervalSeconds < 0 || intervalSeconds > MAX_INTERVAL_SECONDS) {
            return "--usage-interval must be 0 (no usage accounting) or 1.." + MAX_INTERVAL_SECONDS + " seconds, not "
                    + intervalSeconds;
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            return "--metrics-port must be 0 (no metrics endpoint) or a TCP port 1..65535, not " + metricsPort;
        }
        if (intervalSeconds > 0) {
            try {
                Files.createDirectories(journal);
            } catch (IOException e) {
                return "--usage-journal " + journal + ": cannot create the directory (" + e + ")";
            }
            if (!Files.isWritable(journal)) {
                return "--usage-journal " + journal + ": the directory is not writable";
            }
        }
        return null;
    }

    /**
     * Starts what is asked: usage every {@code intervalSeconds} into {@code journal} (0: none), the
     * endpoint on 127.0.0.1:{@code metricsPort} (0: none).
     *
     * @throws IllegalArgumentException when the port cannot be bound
     */
    static CounterServices start(Path countersFile, Path journal, int intervalSeconds, int metricsPort) {
        long countersMade = System.currentTimeMillis(); // just after the file: every lane counter is 0
        CounterServices s = new CounterServices(CountersFileReader.open(countersFile));
        try {
            if (intervalSeconds > 0) {
                s.opener = new Thread(() -> s.openUsage(journal, intervalSeconds, countersMade), "xnb-usage-open");
                s.opener.setDaemon(true);
                s.opener.start();
            }
            if (metricsPort > 0) {
                MetricsRegistry registry = new MetricsRegistry();
                registry.addCollector(new LaneMetrics(s.counters::lanes));
                try {
                    s.metrics = MetricsServer.start(registry, metricsPort);
                } catch (Exception e) { // Netty rethrows the bind failure as it is
                    throw new IllegalArgumentException("--metrics-port " + metricsPort + ": cannot listen on 127.0.0.1:"
                            + metricsPort + " (" + e.getMessage() + ")", e);
                }
                LOG.log(Level.INFO, "metrics: http://127.0.0.1:{0,number,#}/metrics", s.metrics.address().getPort());
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void openUsage(Path dir, int intervalSeconds, long since) {
        UsageJournal j;
        try {
            j = UsageJournal.openForAppend(dir);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "usage: cannot open the journal " + dir + ", no usage accounting: " + e);
            return;
        }
        synchronized (this) {
            if (closed) {
                j.close();
                return;
            }
            journal = j;
            LaneUsageSource usage = new LaneUsageSource(counters::lanes);
            CounterSnapshotSource source = sink -> {
                reportRecorderError();
                usage.sample(sink);
            };
            UsageRecorder r = new UsageRecorder(source, j, intervalSeconds * 1000L);
            r.startCountingFrom(since);
            recorder = r;
        }
        LOG.log(Level.INFO, "usage: every {0} s into {1}", intervalSeconds, dir);
    }

    /** A sample that failed on the recorder thread is logged once (the recorder carries on). */
    private void reportRecorderError() {
        RuntimeException e = recorder == null ? null : recorder.lastError();
        if (e != null && e != reported) {
            reported = e;
            LOG.log(Level.WARNING, "usage: a sample failed: " + e);
        }
    }

    /** Stops sampling after a last sample, closes the journal and the endpoint. Idempotent. */
    @Override
    public void close() {
        Thread o = opener;
        if (o != null) {
            try {
                o.join(OPEN_WAIT_MS); // a journal being opened now still gets its last interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (o.isAlive()) {
                LOG.log(Level.WARNING, "usage: the journal was still being opened after " + OPEN_WAIT_MS
                        + " ms; stopping without it");
            }
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (metrics != null) {
            metrics.close();
        }
        if (recorder != null) {
            try {
                recorder.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "usage: the last sample failed: " + e);
            }
        }
        if (journal != null) {
            journal.close();
        }
        counters.close();
    }
}
