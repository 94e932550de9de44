package org.xnb.tools.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;

/**
 * The usage of each link (a vif: {@code vif5.0}) from the lanes of the counters file, its lanes
 * summed: rbytes/ipkts what the link took in (RBYTES, IPKTS: from the guest), obytes/opkts what
 * it delivered (OBYTES, OPKTS: to the guest), drops the lanes' SDROPS. No flows yet (flow "").
 */
public final class LaneUsageSource implements CounterSnapshotSource {
    private final Supplier<List<LaneStats>> lanes;

    /** @param lanes the lanes now, e.g. {@code CountersFileReader::lanes} */
    public LaneUsageSource(Supplier<List<LaneStats>> lanes) {
        this.lanes = lanes;
    }

    @Override
    public void sample(Sink sink) {
        Map<String, long[]> byLink = new LinkedHashMap<>();
        for (LaneStats s : lanes.get()) {
            long[] t = byLink.computeIfAbsent(s.link(), l -> new long[5]);
            t[0] += s.get(LaneCounter.RBYTES);
            t[1] += s.get(LaneCounter.OBYTES);
            t[2] += s.get(LaneCounter.IPKTS);
            t[3] += s.get(LaneCounter.OPKTS);
            t[4] += s.get(LaneCounter.SDROPS);
        }
        byLink.forEach((link, t) -> sink.counters(link, "", t[0], t[1], t[2], t[3], t[4]));
    }
}
