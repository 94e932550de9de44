package org.xnb.vnic.lane;

import java.util.Locale;

/**
 * dladm's {@code priority} link property: orders the lanes served by a shared thread, and how many
 * batches each may take per round before the next lane gets its turn.
 */
public enum LanePriority {
    LOW(1),
    MEDIUM(2),
    HIGH(4);

    private final int batchesPerRound;

    LanePriority(int batchesPerRound) {
        this.batchesPerRound = batchesPerRound;
    }

    /** Consecutive batches a lane of this priority may run in one round of a shared thread. */
    public int batchesPerRound() {
        return batchesPerRound;
    }

    /** {@code low}, {@code medium} or {@code high}, as dladm writes them. */
    public static LanePriority parse(String text) {
        for (LanePriority p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("priority '" + text + "': allowed values are low, medium, high");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
