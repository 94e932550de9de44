package org.xnb.vnic.lane;

/** How a lane learns of work (Crossbow's dynamic polling). The code is what the counters file holds. */
public enum LaneMode {
    /** Notifications armed; the thread blocks when there is nothing to do. */
    INTERRUPT(0),
    /** Notifications suppressed; the thread polls in batches. */
    POLL(1);

    private final int code;

    LaneMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode with {@code code}, or null. */
    public static LaneMode ofCode(long code) {
        return code == 0 ? INTERRUPT : code == 1 ? POLL : null;
    }
}
