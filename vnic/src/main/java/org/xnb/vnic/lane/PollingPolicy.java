package org.xnb.vnic.lane;

import java.util.Properties;

/**
 * When a lane switches between interrupt and poll mode, and how its thread backs off while it
 * polls an empty source. Read from properties (system properties by default) with the defaults
 * below; every value must be positive.
 *
 * <pre>
 *  property                     default   meaning
 *  xnb.lane.pollBatch           32        a batch of at least this many packets -> poll mode
 *  xnb.lane.pollArrivals        8         this many non-empty batches ...
 *  xnb.lane.arrivalWindowUs     1000      ... within this window in interrupt mode -> poll mode
 *  xnb.lane.quietUs             2000      poll mode with no packet for this long -> interrupt mode
 *  xnb.lane.idleSpins           10        backoff: empty polls spent spinning ...
 *  xnb.lane.idleYields          5         ... then yielding ...
 *  xnb.lane.idleMinParkNs       1000      ... then parking, doubling from this ...
 *  xnb.lane.idleMaxParkNs       1000000   ... up to this (Agrona's BackoffIdleStrategy defaults)
 *  xnb.lane.mode                dynamic   or interrupt-only (never poll mode) or poll-only (never
 *                                         interrupt mode: no notifications, never blocks)
 * </pre>
 */
public record PollingPolicy(int pollBatch, int pollArrivals, long arrivalWindowNs, long quietNs, int idleSpins,
        int idleYields, long idleMinParkNs, long idleMaxParkNs, PollingMode mode) {
    public static final String PREFIX = "xnb.lane.";
    public static final PollingPolicy DEFAULTS = new PollingPolicy(32, 8, 1_000_000L, 2_000_000L, 10, 5, 1_000L,
            1_000_000L);

    public PollingPolicy {
        positive("pollBatch", pollBatch);
        positive("pollArrivals", pollArrivals);
        positive("arrivalWindowNs", arrivalWindowNs);
        positive("quietNs", quietNs);
        positive("idleSpins", idleSpins);
        positive("idleYields", idleYields);
        positive("idleMinParkNs", idleMinParkNs);
        positive("idleMaxParkNs", idleMaxParkNs);
        if (idleMaxParkNs < idleMinParkNs) {
            throw new IllegalArgumentException("idleMaxParkNs " + idleMaxParkNs + " < idleMinParkNs " + idleMinParkNs);
        }
        java.util.Objects.requireNonNull(mode, "mode");
    }

    /** Dynamic polling with these thresholds. */
    public PollingPolicy(int pollBatch, int pollArrivals, long arrivalWindowNs, long quietNs, int idleSpins,
            int idleYields, long idleMinParkNs, long idleMaxParkNs) {
        this(pollBatch, pollArrivals, arrivalWindowNs, quietNs, idleSpins, idleYields, idleMinParkNs, idleMaxParkNs,
                PollingMode.DYNAMIC);
    }

    /** The same thresholds with another mode. */
    public PollingPolicy withMode(PollingMode m) {
        return new PollingPolicy(pollBatch, pollArrivals, arrivalWindowNs, quietNs, idleSpins, idleYields,
                idleMinParkNs, idleMaxParkNs, m);
    }

    /** From {@link System#getProperties()}. */
    public static PollingPolicy fromSystemProperties() {
        return from(System.getProperties());
    }

    /** Keys {@code xnb.lane.*} as in the class comment; missing keys take the defaults. */
    public static PollingPolicy from(Properties p) {
        PollingPolicy d = DEFAULTS;
        return new PollingPolicy(
                (int) get(p, "pollBatch", d.pollBatch),
                (int) get(p, "pollArrivals", d.pollArrivals),
                get(p, "arrivalWindowUs", d.arrivalWindowNs / 1000) * 1000,
                get(p, "quietUs", d.quietNs / 1000) * 1000,
                (int) get(p, "idleSpins", d.idleSpins),
                (int) get(p, "idleYields", d.idleYields),
                get(p, "idleMinParkNs", d.idleMinParkNs),
                get(p, "idleMaxParkNs", d.idleMaxParkNs),
                mode(p, d.mode));
    }

    private static PollingMode mode(Properties p, PollingMode dflt) {
        String v = p.getProperty(PREFIX + "mode");
        try {
            return v == null ? dflt : PollingMode.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "mode=" + v + ": " + e.getMessage(), e);
        }
    }

    private static long get(Properties p, String key, long dflt) {
        String v = p.getProperty(PREFIX + key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + "=" + v + ": not a whole number", e);
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + v);
        }
    }
}
