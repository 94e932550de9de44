package org.xnb.vnic.lane;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls lanes need (eventfd doorbells, ppoll, CPU affinity), by JNA direct mapping with
 * primitive arguments only: a call allocates nothing. Buffers are raw addresses ({@code long}).
 * A failing call returns -1 and leaves {@code errno} for {@link #errno()}.
 */
final class LaneNative {
    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("lanes need Linux (eventfd, ppoll, sched_setaffinity)");
        }
        Native.register(LaneNative.class, Platform.C_LIBRARY_NAME);
    }

    // sys/eventfd.h
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    // poll.h
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS = 4;
    static final int POLLFD_REVENTS = 6;
    // errno.h
    static final int EINTR = 4;
    static final int EINVAL = 22;

    private LaneNative() {
    }

    static native int eventfd(int initval, int flags);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int close(int fd);

    /** {@code ppoll(fds, nfds, timespec*, sigmask*)}: timespec 0 = wait without limit. */
    static native int ppoll(long fds, long nfds, long timespec, long sigmask);

    /** pid 0 = the calling thread. */
    static native int sched_setaffinity(int pid, long cpusetsize, long mask);

    static native int sched_getaffinity(int pid, long cpusetsize, long mask);

    /** glibc 2.30+. */
    static native int gettid();

    static int errno() {
        return Native.getLastError();
    }
}
