package org.xnb.netback;

/** A clock tests move by hand. */
public final class FakeClock implements Clock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    public void advanceNanos(long nanos) {
        now += nanos;
    }

    /** Moves to {@code nanos} if that is later than now. */
    public void advanceTo(long nanos) {
        now = Math.max(now, nanos);
    }

    public void advanceSeconds(double seconds) {
        now += (long) (seconds * 1e9);
    }
}
