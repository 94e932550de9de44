package org.xnb.vnic.stat;

/**
 * One lane's counters as read at one moment from the counters file.
 *
 * @param values indexed by {@link LaneCounter#ordinal()}
 */
public record LaneStats(int laneId, String link, int index, long[] values) {

    public long get(LaneCounter c) {
        return values[c.ordinal()];
    }

    /** "interrupt" or "poll" (or the raw code if the file holds something else). */
    public String mode() {
        long m = get(LaneCounter.MODE);
        return m == 0 ? "interrupt" : m == 1 ? "poll" : Long.toString(m);
    }
}
