package org.xnb.tools.metrics;

/** The Prometheus metric types xnb exposes. */
public enum MetricType {
    /** Only goes up (packets, bytes, drops); resets when the link is recreated. */
    COUNTER,
    /** Goes up and down (queue depth, lane mode as a number). */
    GAUGE;

    String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
