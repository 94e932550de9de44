package org.xnb.tools.bench;

/**
 * One measured row of {@code xnb bench multiqueue}.
 *
 * @param queues     queues per vif (both guests)
 * @param flows      concurrent flows
 * @param frameBytes frame size
 * @param packets    frames guest B received during the window
 * @param nanos      length of the window
 * @param cpuNanos   CPU time of the whole process during the window (guests, lanes, everything)
 * @param share      percent of the window's frames each of B's queues delivered (its lane's Rx counter)
 * @param drops      frames netback dropped or answered with an error (A's Tx, B's Rx) over the row
 * @param lost       frames the guest threads gave up waiting for
 * @param reordered  frames that arrived behind a later frame of their flow
 * @param corrupt    frames whose flow, length or sampled bytes were wrong
 * @param checked    frames compared byte for byte
 * @param stale      frames of an earlier row that arrived during this one (not counted)
 * @param heldUnmasks unmasks netback held back over the row (XSA-332 guard), both vifs
 * @param guestNanos CPU time of the guest threads during the window
 * @param laneNanos  CPU time of netback's lane threads during the window
 */
record MultiQueueRow(int queues, int flows, int frameBytes, long packets, long nanos, long cpuNanos, int[] share,
        long drops, long lost, long reordered, long corrupt, long checked, long stale,
        long heldUnmasks, long guestNanos, long laneNanos) {

    double mpps() {
        return packets * 1e3 / nanos;
    }

    double gbitPerSecond() {
        return packets * (double) frameBytes * 8 / nanos;
    }

    /** Cores the process kept busy on average. */
    double cores() {
        return cpuNanos / (double) nanos;
    }

    /** Every frame arrived, in order, intact, and some were compared. */
    boolean intact() {
        return reordered == 0 && corrupt == 0 && checked > 0;
    }

    /** Mpps for 64 B rows, Gbit/s otherwise: the figure the table shows. */
    double figure() {
        return frameBytes <= 64 ? mpps() : gbitPerSecond();
    }
}
