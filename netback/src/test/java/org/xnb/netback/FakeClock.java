package org.xnb.netback;

/** A clock tests move by hand. */
public final class FakeClock implements Clock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    public void advanceSeconds(double seconds) {
        now += (long) (seconds * 1e9);
    }
}
