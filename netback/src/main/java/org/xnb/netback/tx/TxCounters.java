package org.xnb.netback.tx;

import org.xnb.netback.GuestRule;

/**
 * Counters of one Tx engine, plain fields written by the engine's thread only. A later issue
 * moves them into a mapped counters file; until then they are read by tests and the vif.
 */
public final class TxCounters {
    /** Frames handed to the sink. */
    public long packets;
    /** Bytes of those frames. */
    public long bytes;
    /** Ring slots consumed (requests and extras). */
    public long slots;
    /** Responses written. */
    public long responses;
    /** Times the guest was notified. */
    public long notifications;
    /** Times responses were pushed without a notification (the guest had suppressed it). */
    public long notificationsSuppressed;
    /** MCAST_ADD / MCAST_DEL extras processed. */
    public long multicastUpdates;
    /** {@code values()} copies its array each call; {@link #dropped()} runs once per lane batch. */
    private static final GuestRule[] RULES = GuestRule.values();
    private final long[] errors = new long[RULES.length];

    /** How often the guest broke {@code rule} on this queue (fatal rules count at most once). */
    public long errors(GuestRule rule) {
        return errors[rule.ordinal()];
    }

    /** Packets dropped with NETIF_RSP_ERROR (every non-fatal rule). */
    public long dropped() {
        long sum = 0;
        for (GuestRule r : RULES) {
            if (!r.fatal()) {
                sum += errors[r.ordinal()];
            }
        }
        return sum;
    }

    void count(GuestRule rule) {
        errors[rule.ordinal()]++;
    }
}
