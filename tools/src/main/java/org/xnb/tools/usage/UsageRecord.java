package org.xnb.tools.usage;

import java.util.Objects;

/**
 * One interval of one link's (or one flow's) traffic: counter deltas between two samples.
 *
 * @param link the VNIC (or etherstub) name
 * @param flow the flow name, or empty for the link as a whole
 * @param startMillis interval start, epoch milliseconds
 * @param endMillis interval end, epoch milliseconds (> start)
 */
public record UsageRecord(String link, String flow, long startMillis, long endMillis, long rbytes, long obytes,
        long ipkts, long opkts, long drops) {
    public UsageRecord {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(flow, "flow");
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException("interval end " + endMillis + " is not after start " + startMillis);
        }
    }

    public boolean isFlow() {
        return !flow.isEmpty();
    }

    /** (rbytes + obytes) * 8 / seconds, as libdladm computes a usage record's bandwidth, in bits/s. */
    public long bandwidthBitsPerSecond() {
        return (rbytes + obytes) * 8L * 1000L / (endMillis - startMillis);
    }
}
