package org.xnb.vnic.lane;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.os.LibC;

/**
 * The one blocking call of a lane thread: {@code ppoll(2)} on its control doorbell and the fds of
 * the lanes that are blocked (their {@link LaneWork#wakeFd()} and {@link Doorbell}), with a
 * timeout for throttled lanes and for the park phase of the idle back-off. The pollfd array and
 * the timespec are preallocated for {@code maxLanes}; a wait allocates nothing.
 *
 * <pre>
 *  pollfd[0]            control doorbell (lane added/removed, thread stopping)
 *  pollfd[1..n]         for each blocked lane: its work fd (if any), its doorbell (if any);
 *                       parking pollers: also each polling lane's doorbell (a frame queued for a
 *                       parked poller wakes it at once; its work fd stays out: in poll mode a
 *                       notification is not read, so it would stay readable)
 *  slotLane[i]/slotBell[i]  which lane slot i belongs to and whether it is the doorbell
 *  timespec (16 B)      after the pollfds
 * </pre>
 */
final class LaneWaiter {
    private final int maxFds;
    private final UnsafeBuffer mem;
    private final int tsOffset;
    private final Lane[] slotLane;
    private final boolean[] slotBell;
    private final Doorbell control;
    private int used;
    private Lane broken;
    private String brokenReason;

    LaneWaiter(int maxLanes, Doorbell control) {
        this.maxFds = 1 + 2 * maxLanes;
        this.tsOffset = maxFds * LibC.POLLFD_SIZE;
        this.mem = new UnsafeBuffer(BufferUtil.allocateDirectAligned(tsOffset + 16, 8));
        this.slotLane = new Lane[maxFds];
        this.slotBell = new boolean[maxFds];
        this.control = control;
    }

    /**
     * Waits until a blocked lane is notified, the control doorbell rings or {@code timeoutNs}
     * passes (negative = no limit), then passes each notification to its lane
     * ({@link Lane#onWake}).
     *
     * @return lanes woken
     */
    int await(Lane[] lanes, int count, long timeoutNs) {
        return await(lanes, count, timeoutNs, false);
    }

    /** @param pollers also wake on the doorbells of lanes in poll mode (the park of the back-off) */
    int await(Lane[] lanes, int count, long timeoutNs, boolean pollers) {
        used = 0;
        add(control.fd(), null, true);
        for (int i = 0; i < count; i++) {
            Lane lane = lanes[i];
            if (pollers && !lane.blocked() && !lane.throttled() && lane.doorbell() != null) {
                add(lane.doorbell().fd(), lane, true);
            } else if (lane.blocked()) {
                int fd = lane.work().wakeFd();
                if (fd >= 0) {
                    add(fd, lane, false);
                }
                if (lane.doorbell() != null) {
                    add(lane.doorbell().fd(), lane, true);
                }
            }
        }
        long ts = 0;
        if (timeoutNs >= 0) {
            mem.putLong(tsOffset, timeoutNs / 1_000_000_000L);
            mem.putLong(tsOffset + 8, timeoutNs % 1_000_000_000L);
            ts = mem.addressOffset() + tsOffset;
        }
        int rc = LibC.ppoll(mem.addressOffset(), used, ts, 0);
        if (rc < 0) {
            int errno = LibC.errno();
            if (errno != LibC.EINTR) {
                throw new IllegalStateException("ppoll: errno " + errno);
            }
            return 0;
        }
        if (rc == 0) {
            return 0;
        }
        int woken = 0;
        for (int s = 0; s < used; s++) {
            short revents = mem.getShort(s * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
            if (revents == 0) {
                continue;
            }
            Lane lane = slotLane[s];
            if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                String why = "ppoll: fd " + mem.getInt(s * LibC.POLLFD_SIZE) + " revents 0x"
                        + Integer.toHexString(revents & 0xffff);
                if (lane == null) {
                    throw new IllegalStateException(why + " (the thread's control doorbell)");
                }
                if (broken == null) { // polling it again would spin: the group takes the lane out
                    broken = lane;
                    brokenReason = why;
                }
                continue;
            }
            if (lane == null) {
                control.consume();
            } else if (!lane.blocked() && slotBell[s]) {
                lane.doorbell().consume(); // a parked poller: drained before its next batch
            } else if (lane.blocked() && lane != broken) {
                // both fds of one lane may be readable: pass both in one wake
                boolean bell = slotBell[s];
                boolean workFd = !bell;
                if (!bell && s + 1 < used && slotLane[s + 1] == lane && readable(s + 1)) {
                    bell = true;
                }
                lane.onWake(workFd, bell);
                woken++;
            }
        }
        return woken;
    }

    /** A lane whose fd reported an error in the last wait (then cleared), or null. */
    Lane takeBroken() {
        Lane b = broken;
        broken = null;
        return b;
    }

    String brokenReason() {
        return brokenReason;
    }

    private boolean readable(int s) {
        return (mem.getShort(s * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS) & LibC.POLLIN) != 0;
    }

    private void add(int fd, Lane lane, boolean bell) {
        if (used == maxFds) {
            throw new IllegalStateException("more fds than " + maxFds);
        }
        int at = used * LibC.POLLFD_SIZE;
        mem.putInt(at, fd);
        mem.putShort(at + LibC.POLLFD_EVENTS, LibC.POLLIN);
        mem.putShort(at + LibC.POLLFD_REVENTS, (short) 0);
        slotLane[used] = lane;
        slotBell[used] = bell;
        used++;
    }
}
