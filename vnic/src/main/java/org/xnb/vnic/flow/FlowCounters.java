package org.xnb.vnic.flow;

/**
 * A flow's counters, as flowstat shows them. Plain long fields with a single writer (the lane
 * that classifies the flow's packets); readers on other threads see values that may lag a
 * little but never go backwards on a 64-bit JVM. No lock, no allocation.
 */
public final class FlowCounters {
    private long ipkts;
    private long rbytes;
    private long opkts;
    private long obytes;
    private long drops;

    /** A packet received by the flow (inbound, toward the VNIC). */
    public void inbound(int bytes) {
        ipkts++;
        rbytes += bytes;
    }

    /** A packet sent by the flow (outbound, from the VNIC). */
    public void outbound(int bytes) {
        opkts++;
        obytes += bytes;
    }

    /** A packet of the flow dropped (e.g. over its maxbw). */
    public void drop() {
        drops++;
    }

    public long ipkts() {
        return ipkts;
    }

    public long rbytes() {
        return rbytes;
    }

    public long opkts() {
        return opkts;
    }

    public long obytes() {
        return obytes;
    }

    public long drops() {
        return drops;
    }

    @Override
    public String toString() {
        return "ipkts=" + ipkts + " rbytes=" + rbytes + " opkts=" + opkts + " obytes=" + obytes + " drops=" + drops;
    }
}
