package org.xnb.grant.xen;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Waits for one file descriptor to become readable, with a nanosecond timeout (ppoll(2)).
 * Holds its own preallocated {@code struct pollfd} and {@code struct timespec}, so a wait
 * allocates nothing; one instance per waiting thread.
 *
 * <pre>
 *  struct pollfd  (8 bytes)          struct timespec (16 bytes)
 *  +--------+--------+---------+     +-----------+-----------+
 *  | fd i32 | events | revents |     | tv_sec i64| tv_nsec i64|
 *  +--------+--------+---------+     +-----------+-----------+
 *  0        4        6         8     8          16          24
 * </pre>
 */
public final class PollWait {
    private static final int FD = 0;
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;
    private static final int TV_SEC = 8;
    private static final int TV_NSEC = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** EINTR retries before giving up and reporting a timeout; bounds the loop. */
    private static final int MAX_EINTR = 100;

    private final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(32, 8));

    /**
     * Waits until {@code fd} is readable or {@code timeoutNanos} passed (0 = just look).
     *
     * @return true if readable, false on timeout
     * @throws IllegalStateException if ppoll fails (a closed fd, for instance)
     */
    public boolean awaitReadable(int fd, long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0: " + timeoutNanos);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long remaining = timeoutNanos;
        for (int attempt = 0; attempt <= MAX_EINTR; attempt++) {
            scratch.putInt(FD, fd);
            scratch.putShort(EVENTS, LibC.POLLIN);
            scratch.putShort(REVENTS, (short) 0);
            scratch.putLong(TV_SEC, remaining / NANOS_PER_SECOND);
            scratch.putLong(TV_NSEC, remaining % NANOS_PER_SECOND);
            int rc = LibC.ppoll(scratch.addressOffset() + FD, 1, scratch.addressOffset() + TV_SEC, 0);
            if (rc > 0) {
                if ((scratch.getShort(REVENTS) & LibC.POLLIN) != 0) {
                    return true;
                }
                throw new IllegalStateException("ppoll(fd " + fd + "): revents 0x"
                        + Integer.toHexString(scratch.getShort(REVENTS) & 0xffff));
            }
            if (rc == 0) {
                return false;
            }
            int errno = LibC.errno();
            if (errno != Errno.EINTR) {
                throw new IllegalStateException("ppoll(fd " + fd + "): " + Errno.describe(errno));
            }
            remaining = Math.max(0, deadline - System.nanoTime());
        }
        return false;
    }
}
