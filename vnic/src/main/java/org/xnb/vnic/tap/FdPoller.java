package org.xnb.vnic.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.xnb.vnic.os.LibC;

/**
 * poll(2) over a fixed set of fds (TAP queues, eventfds, event channels), with the pollfd array
 * preallocated so that a wait allocates nothing. One thread at a time.
 */
public final class FdPoller {
    private final int count;
    private final Memory pollFds;
    private final long address;

    public FdPoller(int... fds) {
        if (fds.length == 0 || fds.length > 1024) {
            throw new IllegalArgumentException("poll 1..1024 fds, not " + fds.length);
        }
        this.count = fds.length;
        this.pollFds = new Memory((long) count * LibC.POLLFD_SIZE);
        this.address = Pointer.nativeValue(pollFds);
        for (int i = 0; i < count; i++) {
            if (fds[i] < 0) {
                throw new IllegalArgumentException("negative fd at index " + i);
            }
            pollFds.setInt((long) i * LibC.POLLFD_SIZE, fds[i]);
            pollFds.setShort((long) i * LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS, LibC.POLLIN);
        }
    }

    /** Convenience: poll the given queues. */
    public static FdPoller of(TapQueue... queues) {
        int[] fds = new int[queues.length];
        for (int i = 0; i < queues.length; i++) {
            fds[i] = queues[i].fd();
        }
        return new FdPoller(fds);
    }

    /**
     * Waits until at least one fd is readable or {@code timeoutMs} passes (negative = forever).
     *
     * @return how many fds are ready (0 on timeout or signal)
     */
    public int poll(int timeoutMs) {
        for (int i = 0; i < count; i++) {
            pollFds.setShort((long) i * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS, (short) 0);
        }
        int n = LibC.poll(address, count, timeoutMs);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EINTR) {
                return 0;
            }
            throw TapException.of("poll", "", errno);
        }
        return n;
    }

    /** After {@link #poll}: whether fd number {@code i} (in constructor order) is readable. */
    public boolean readable(int i) {
        return (revents(i) & LibC.POLLIN) != 0;
    }

    /** After {@link #poll}: whether fd {@code i} reported POLLERR, POLLHUP or POLLNVAL. */
    public boolean failed(int i) {
        return (revents(i) & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0;
    }

    private short revents(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("fd index " + i + " of " + count);
        }
        return pollFds.getShort((long) i * LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS);
    }

    public int size() {
        return count;
    }
}
