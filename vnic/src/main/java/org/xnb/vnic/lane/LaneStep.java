package org.xnb.vnic.lane;

/** What a lane's thread should do after one {@link Lane#step(long)}. */
public enum LaneStep {
    /** The lane did work: run it again soon (reset the idle strategy). */
    CONTINUE,
    /** Poll mode, nothing this time, quiet period not over: back off (spin, yield, park). */
    IDLE,
    /** Interrupt mode, notifications armed: wait on the lane's fds until {@link Lane#onWake()}. */
    BLOCK,
    /** Out of bandwidth tokens: sleep until {@link Lane#throttledUntilNs()}, no spinning. */
    THROTTLED
}
