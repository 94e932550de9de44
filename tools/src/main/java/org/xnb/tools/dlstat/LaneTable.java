package org.xnb.tools.dlstat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;

/** dlstat's lines: one per lane, totals or the change since an earlier read (lanes matched by id). */
public final class LaneTable {
    /** The counters printed, in column order (MODE last, as a word). */
    static final LaneCounter[] COLUMNS = {LaneCounter.IPKTS, LaneCounter.RBYTES, LaneCounter.OPKTS,
            LaneCounter.OBYTES, LaneCounter.INTRS, LaneCounter.POLLS, LaneCounter.SDROPS, LaneCounter.BLKCNT,
            LaneCounter.UBLKCNT, LaneCounter.TOPOLL, LaneCounter.TOINTR};

    private LaneTable() {
    }

    /**
     * @param before an earlier read (null = print totals); a lane new since then counts from 0
     * @param elapsedNs the time between the two reads, for IBPS/OBPS
     */
    static String format(List<LaneStats> now, List<LaneStats> before, long elapsedNs, boolean parseable) {
        return format(now, before, elapsedNs, parseable, COLUMNS);
    }

    /** As above with only {@code columns} (in that order) between INDEX and the rates (the demo's narrow view). */
    public static String format(List<LaneStats> now, List<LaneStats> before, long elapsedNs, boolean parseable,
            LaneCounter[] columns) {
        Map<Integer, LaneStats> earlier = new HashMap<>();
        if (before != null) {
            for (LaneStats s : before) {
                earlier.put(s.laneId(), s);
            }
        }
        boolean rates = before != null;
        StringBuilder b = new StringBuilder();
        if (!parseable) {
            b.append(String.format("%-16s %5s", "LINK", "INDEX"));
            for (LaneCounter c : columns) {
                b.append(String.format(" %12s", c.column()));
            }
            if (rates) {
                b.append(String.format(" %12s %12s", "IBPS", "OBPS"));
            }
            b.append(String.format(" %-9s%n", "MODE"));
        }
        for (LaneStats s : now) {
            LaneStats e = earlier.get(s.laneId());
            if (parseable) {
                b.append(s.link()).append(':').append(s.index());
            } else {
                b.append(String.format("%-16s %5d", s.link(), s.index()));
            }
            for (LaneCounter c : columns) {
                long v = value(s, e, c, rates);
                b.append(parseable ? ":" + v : String.format(" %12d", v));
            }
            if (rates) {
                long ibps = bitsPerSecond(value(s, e, LaneCounter.RBYTES, true), elapsedNs);
                long obps = bitsPerSecond(value(s, e, LaneCounter.OBYTES, true), elapsedNs);
                b.append(parseable ? ":" + ibps + ":" + obps : String.format(" %12d %12d", ibps, obps));
            }
            b.append(parseable ? ":" + s.mode() : String.format(" %-9s", s.mode())).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static long value(LaneStats s, LaneStats earlier, LaneCounter c, boolean delta) {
        return delta && earlier != null ? s.get(c) - earlier.get(c) : s.get(c);
    }

    private static long bitsPerSecond(long bytes, long elapsedNs) {
        return elapsedNs <= 0 ? 0 : (long) (bytes * 8.0 * 1e9 / elapsedNs);
    }
}
