package org.xnb.tools.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;

/**
 * Every lane counter of the daemon's counters file as a Prometheus series, read at scrape time
 * (lanes come and go with vifs; nothing to register or forget). One family per
 * {@link LaneCounter}: {@code xnb_lane_<counter>_total} (a counter) or {@code xnb_lane_mode}
 * (a gauge: 0 interrupt, 1 poll), labels {@code link} (the vif, e.g. vif5.0) and {@code lane}
 * (the queue index).
 */
public final class LaneMetrics implements MetricsRegistry.Collector {
    private final Supplier<List<LaneStats>> lanes;

    /** @param lanes the lanes now, e.g. {@code CountersFileReader::lanes} */
    public LaneMetrics(Supplier<List<LaneStats>> lanes) {
        this.lanes = lanes;
    }

    /** The metric name of {@code c}. */
    public static String name(LaneCounter c) {
        String base = "xnb_lane_" + c.name().toLowerCase(Locale.ROOT);
        return type(c) == MetricType.COUNTER ? base + "_total" : base;
    }

    static MetricType type(LaneCounter c) {
        return c == LaneCounter.MODE ? MetricType.GAUGE : MetricType.COUNTER;
    }

    static String help(LaneCounter c) {
        String what = switch (c) {
            case IPKTS -> "packets the lane took in (for a vif: sent by the guest)";
            case RBYTES -> "bytes the lane took in (for a vif: sent by the guest)";
            case OPKTS -> "packets the lane delivered (for a vif: to the guest)";
            case OBYTES -> "bytes the lane delivered (for a vif: to the guest)";
            case INTRS -> "packets handled in interrupt mode";
            case POLLS -> "packets handled in poll mode";
            case CH_LT10 -> "poll batches of 1..9 packets";
            case CH_10_50 -> "poll batches of 10..50 packets";
            case CH_GT50 -> "poll batches of more than 50 packets";
            case SDROPS -> "packets dropped by the lane (no room, bad frame, protection)";
            case BLKCNT -> "times the lane blocked waiting for work";
            case UBLKCNT -> "times a notification woke the lane";
            case TOPOLL -> "interrupt to poll mode switches";
            case TOINTR -> "poll to interrupt mode switches";
            case THROTTLED -> "times the lane ran out of bandwidth tokens";
            case MODE -> "the lane's mode now: 0 interrupt, 1 poll";
            default -> "lane counter";
        };
        return what + " (dlstat " + c.column() + ")";
    }

    @Override
    public void collect(Sink sink) {
        List<LaneStats> now = lanes.get();
        for (LaneCounter c : LaneCounter.values()) {
            String name = name(c);
            String help = help(c);
            MetricType type = type(c);
            for (LaneStats s : now) {
                Map<String, String> labels = new LinkedHashMap<>(2);
                labels.put("link", s.link());
                labels.put("lane", Integer.toString(s.index()));
                sink.sample(name, help, type, labels, s.get(c));
            }
        }
    }
}
