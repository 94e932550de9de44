package org.xnb.netback.vif;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.xen.LibC;

/**
 * A vif thread's one blocking call: {@code ppoll(2)} on its event-channel fd and its
 * {@link WakeUp} eventfd, with preallocated {@code pollfd}s and {@code timespec}, so waiting
 * allocates nothing.
 *
 * <pre>
 *  0            8            16                 32
 *  +------------+------------+------------------+
 *  | pollfd evt | pollfd wake| timespec sec,nsec|
 *  +------------+------------+------------------+
 *  pollfd = fd i32 | events i16 | revents i16
 * </pre>
 */
final class VifPoll {
    private static final int EVT = 0;
    private static final int WAKE = 8;
    private static final int TS = 16;
    private static final int EINTR = 4;
    private final UnsafeBuffer mem = new UnsafeBuffer(BufferUtil.allocateDirectAligned(32, 8));
    private boolean eventReady;
    private boolean wakeReady;

    VifPoll(int eventFd, int wakeFd) {
        mem.putInt(EVT, eventFd);
        mem.putShort(EVT + 4, LibC.POLLIN);
        mem.putInt(WAKE, wakeFd);
        mem.putShort(WAKE + 4, LibC.POLLIN);
    }

    /**
     * Waits until either fd is readable or {@code timeoutNanos} passed (negative = no limit).
     *
     * @throws IllegalStateException if ppoll fails other than EINTR
     */
    void await(long timeoutNanos) {
        mem.putShort(EVT + 6, (short) 0);
        mem.putShort(WAKE + 6, (short) 0);
        long ts = 0;
        if (timeoutNanos >= 0) {
            mem.putLong(TS, timeoutNanos / 1_000_000_000L);
            mem.putLong(TS + 8, timeoutNanos % 1_000_000_000L);
            ts = mem.addressOffset() + TS;
        }
        int rc = LibC.ppoll(mem.addressOffset(), 2, ts, 0);
        if (rc < 0) {
            int errno = LibC.errno();
            if (errno != EINTR) {
                throw new IllegalStateException("ppoll: errno " + errno);
            }
        }
        short evt = rc > 0 ? mem.getShort(EVT + 6) : 0;
        short wake = rc > 0 ? mem.getShort(WAKE + 6) : 0;
        if (((evt | wake) & ~LibC.POLLIN) != 0) { // POLLERR/POLLHUP/POLLNVAL: polling again would spin
            throw new IllegalStateException("ppoll: revents 0x" + Integer.toHexString(evt & 0xffff) + "/0x"
                    + Integer.toHexString(wake & 0xffff));
        }
        eventReady = evt != 0;
        wakeReady = wake != 0;
    }

    boolean eventReady() {
        return eventReady;
    }

    boolean wakeReady() {
        return wakeReady;
    }
}
