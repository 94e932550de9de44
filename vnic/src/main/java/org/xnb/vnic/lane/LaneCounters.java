package org.xnb.vnic.lane;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneKey;

/**
 * One lane's counters, living in a {@link CountersFile} so that tools read them without asking the
 * data path. Written only by the lane's thread (the lane and its {@link LaneWork}): each update is
 * an ordered store of the owner's own value, no lock, no atomic read-modify-write, nothing
 * allocated. Anyone may read them ({@link #get}), possibly a moment stale.
 */
public final class LaneCounters implements AutoCloseable {
    private final CountersFile file;
    private final AtomicCounter[] all;
    private final AtomicCounter ipkts;
    private final AtomicCounter rbytes;
    private final AtomicCounter opkts;
    private final AtomicCounter obytes;
    private final AtomicCounter intrs;
    private final AtomicCounter polls;
    private final AtomicCounter chLt10;
    private final AtomicCounter ch10to50;
    private final AtomicCounter chGt50;
    private final AtomicCounter sdrops;
    private final AtomicCounter blocked;
    private final AtomicCounter unblocked;
    private final AtomicCounter toPoll;
    private final AtomicCounter toIntr;
    private final AtomicCounter throttled;
    private final AtomicCounter mode;
    /** The lane thread's own copy of rbytes, for the token bucket (no read of shared memory). */
    private long inBytes;

    private LaneCounters(CountersFile file, AtomicCounter[] all) {
        this.file = file;
        this.all = all;
        this.ipkts = all[LaneCounter.IPKTS.ordinal()];
        this.rbytes = all[LaneCounter.RBYTES.ordinal()];
        this.opkts = all[LaneCounter.OPKTS.ordinal()];
        this.obytes = all[LaneCounter.OBYTES.ordinal()];
        this.intrs = all[LaneCounter.INTRS.ordinal()];
        this.polls = all[LaneCounter.POLLS.ordinal()];
        this.chLt10 = all[LaneCounter.CH_LT10.ordinal()];
        this.ch10to50 = all[LaneCounter.CH_10_50.ordinal()];
        this.chGt50 = all[LaneCounter.CH_GT50.ordinal()];
        this.sdrops = all[LaneCounter.SDROPS.ordinal()];
        this.blocked = all[LaneCounter.BLKCNT.ordinal()];
        this.unblocked = all[LaneCounter.UBLKCNT.ordinal()];
        this.toPoll = all[LaneCounter.TOPOLL.ordinal()];
        this.toIntr = all[LaneCounter.TOINTR.ordinal()];
        this.throttled = all[LaneCounter.THROTTLED.ordinal()];
        this.mode = all[LaneCounter.MODE.ordinal()];
    }

    /**
     * Allocates the lane's counters in {@code file}, labelled {@code "<link>/<index> <COLUMN>"}.
     *
     * @throws IllegalStateException if the file has no room (what was taken is given back)
     */
    public static LaneCounters allocate(CountersFile file, int laneId, int index, String link) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[LaneKey.MAX_LENGTH]);
        int keyLength = LaneKey.write(key, laneId, index, 0, link);
        AtomicCounter[] all = new AtomicCounter[LaneCounter.count()];
        try {
            for (LaneCounter c : LaneCounter.values()) {
                all[c.ordinal()] = file.allocate(c.typeId(), key, keyLength, link + "/" + index + " " + c.column());
            }
        } catch (RuntimeException e) {
            for (AtomicCounter a : all) {
                if (a != null) {
                    file.free(a);
                }
            }
            throw e;
        }
        return new LaneCounters(file, all);
    }

    // ---- for the lane's work -------------------------------------------------------------

    /** {@code packets} taken in from the source, {@code bytes} in all. */
    public void in(int packets, long bytes) {
        ipkts.getAndAddOrdered(packets);
        rbytes.getAndAddOrdered(bytes);
        inBytes += bytes;
    }

    /** {@code packets} delivered, {@code bytes} in all. */
    public void out(int packets, long bytes) {
        opkts.getAndAddOrdered(packets);
        obytes.getAndAddOrdered(bytes);
    }

    public void drop(int packets) {
        sdrops.getAndAddOrdered(packets);
    }

    // ---- for the lane ----------------------------------------------------------------------

    long inBytes() {
        return inBytes;
    }

    void interruptPath(int packets) {
        intrs.getAndAddOrdered(packets);
    }

    void pollPath(int packets) {
        polls.getAndAddOrdered(packets);
        if (packets < 10) {
            chLt10.incrementOrdered();
        } else if (packets <= 50) {
            ch10to50.incrementOrdered();
        } else {
            chGt50.incrementOrdered();
        }
    }

    void blocked() {
        blocked.incrementOrdered();
    }

    void unblocked() {
        unblocked.incrementOrdered();
    }

    void throttled() {
        throttled.incrementOrdered();
    }

    void mode(LaneMode m) {
        if (m == LaneMode.POLL) {
            toPoll.incrementOrdered();
        } else {
            toIntr.incrementOrdered();
        }
        mode.setOrdered(m.code());
    }

    // ---- for anyone ------------------------------------------------------------------------

    /** The current value (a volatile read). */
    public long get(LaneCounter c) {
        return all[c.ordinal()].get();
    }

    /** The counter id of {@code c} in the file (for tests and tools). */
    public int counterId(LaneCounter c) {
        return all[c.ordinal()].id();
    }

    /** Frees the counters in the file; only once the lane's thread no longer runs the lane. */
    @Override
    public void close() {
        for (AtomicCounter a : all) {
            file.free(a);
        }
    }
}
