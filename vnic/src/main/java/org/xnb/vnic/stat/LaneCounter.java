package org.xnb.vnic.stat;

/**
 * The counters every lane keeps, one counter each in the counters file (described like Aeron's
 * {@code SystemCounterDescriptor}). The type id tells a reader what a counter is; the key says
 * which lane ({@link LaneKey}). Column names are dlstat's where dlstat has one.
 */
public enum LaneCounter {
    /** Packets the lane took in from its source (for a vif: what the guest sent). */
    IPKTS("IPKTS"),
    RBYTES("RBYTES"),
    /** Packets the lane delivered (for a vif: what reached the guest). */
    OPKTS("OPKTS"),
    OBYTES("OBYTES"),
    /** Packets handled by batches run after a notification (interrupt path). */
    INTRS("INTRS"),
    /** Packets handled by batches the lane polled for (poll path). */
    POLLS("POLLS"),
    /** Poll-path batches of 1..9 packets. */
    CH_LT10("CH<10"),
    /** Poll-path batches of 10..50 packets. */
    CH_10_50("CH10-50"),
    /** Poll-path batches of more than 50 packets. */
    CH_GT50("CH>50"),
    /** Packets dropped by the lane's work (no room, bad frame, protection). */
    SDROPS("SDROPS"),
    /** Times the lane blocked (notifications armed, nothing to do). */
    BLKCNT("BLKCNT"),
    /** Times a notification woke the blocked lane. */
    UBLKCNT("UBLKCNT"),
    /** Interrupt -> poll switches. */
    TOPOLL("TOPOLL"),
    /** Poll -> interrupt switches. */
    TOINTR("TOINTR"),
    /** Times the lane ran out of bandwidth tokens and slept until refill. */
    THROTTLED("THROTTLED"),
    /** Current mode: 0 interrupt, 1 poll. */
    MODE("MODE");

    /** Type ids of lane counters: {@code TYPE_ID_BASE + ordinal()}. */
    public static final int TYPE_ID_BASE = 1100;
    private static final LaneCounter[] VALUES = values();
    private final String column;

    LaneCounter(String column) {
        this.column = column;
    }

    public int typeId() {
        return TYPE_ID_BASE + ordinal();
    }

    /** dlstat's column name. */
    public String column() {
        return column;
    }

    /** The counter with {@code typeId}, or null if it is not a lane counter. */
    public static LaneCounter ofTypeId(int typeId) {
        int i = typeId - TYPE_ID_BASE;
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }

    /** How many there are per lane. */
    public static int count() {
        return VALUES.length;
    }
}
