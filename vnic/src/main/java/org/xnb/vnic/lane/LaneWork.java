package org.xnb.vnic.lane;

/**
 * What a lane runs: one netfront queue's engines, a TAP queue reader, a test's script. Called only
 * from the lane's thread. Modelled on Agrona's {@code Agent}: {@link #doWork()} does one bounded
 * batch and says how much it did, so the lane can decide between interrupt and poll mode.
 *
 * <p>The work counts its own traffic and drops on the {@link LaneCounters} it is given
 * ({@link LaneCounters#in}, {@link LaneCounters#out}, {@link LaneCounters#drop}); the lane counts
 * how the packets arrived (interrupt or poll path), the chain lengths and its mode changes.
 *
 * <h2>Notifications</h2>
 * In interrupt mode the lane blocks until {@link #wakeFd()} or its {@link Doorbell} is readable.
 * Before it blocks it calls {@link #armNotifications()}, which must close the race with a producer
 * (for a Xen ring: set {@code req_event = req_cons + 1}, full fence, look again: the
 * {@code RING_FINAL_CHECK_FOR_REQUESTS} of {@code ring.h}) and say whether work is already there.
 * In poll mode the lane calls {@link #suppressNotifications()} once and polls {@link #doWork()}.
 */
public interface LaneWork {

    /**
     * Does at most one bounded batch.
     *
     * @return packets handled (0 = nothing to do)
     */
    int doWork();

    /**
     * Asks to be notified of new work (unmask, set the event index) and checks once more.
     *
     * @return whether work is already pending (the lane then keeps running instead of blocking)
     */
    boolean armNotifications();

    /** Asks the producer not to notify (poll mode): the lane will look by itself. */
    void suppressNotifications();

    /** An fd that becomes readable on a notification (an event channel), or -1 if there is none. */
    default int wakeFd() {
        return -1;
    }

    /**
     * Once, when {@link LaneScheduler#open} has made the lane and before its thread first runs it
     * (the thread's command queue orders the two): the place to keep {@link Lane#counters()}.
     */
    default void onOpen(Lane lane) {
    }

    /** After {@link #wakeFd()} was readable: take the notification (read the fd, unmask the port). */
    default void onWake() {
    }

    /**
     * Asked when the lane blocks (after {@link #armNotifications()} said no work): how long it may
     * sleep without a notification, in nanoseconds, or {@link #NO_TIMEOUT}. For work that must look
     * again by itself: a credit that refills, a held unmask, frames waiting for guest buffers.
     */
    default long wakeTimeoutNs() {
        return NO_TIMEOUT;
    }

    /** {@link #wakeTimeoutNs()}: sleep until a notification. */
    long NO_TIMEOUT = -1;
}
