package org.xnb.vnic.os;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls vnic needs (the TAP layer: open, ioctl, readv/writev, poll; lanes: eventfd,
 * ppoll, CPU affinity), bound by JNA direct mapping
 * ({@code Native.register}): about 3-5x cheaper per call than interface mapping, and with only
 * primitive arguments a call allocates nothing, which is what the per-frame path needs.
 *
 * <p>Direct mapping takes no varargs, so {@code ioctl} has one fixed-arity overload per argument
 * kind: a pointer to a struct or int ({@code TUNSETIFF}, {@code TUNSETVNETHDRSZ}) or a plain
 * {@code unsigned long} value ({@code TUNSETOFFLOAD}, {@code TUNSETPERSIST}). Buffers are passed
 * as raw addresses ({@code long}); on LP64 Linux a pointer and a {@code long} travel in the same
 * register, so {@code read(int, long, long)} is exactly {@code read(int, void*, size_t)}.
 *
 * <p>Errors: a call returns -1 and JNA keeps the thread's {@code errno}, read with
 * {@link #errno()}; no exception is thrown, so an {@code EAGAIN} on an empty non-blocking queue
 * costs nothing.
 */
public final class LibC {
    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("vnic needs Linux (/dev/net/tun, eventfd, ppoll, sched_setaffinity)");
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    // fcntl.h (x86_64 and aarch64 share these values; proven by TunHeaderConstantsIT)
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // sys/eventfd.h
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    // poll.h
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    public static final int POLLFD_SIZE = 8;
    public static final int POLLFD_EVENTS = 4;
    public static final int POLLFD_REVENTS = 6;

    /** {@code struct iovec { void *iov_base; size_t iov_len; }}. */
    public static final int IOVEC_SIZE = 16;
    public static final int IOVEC_LEN = 8;

    // errno.h
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EIO = 5;

    private LibC() {
    }

    public static native int open(String path, int flags);

    public static native int close(int fd);

    public static native int ioctl(int fd, long request, Pointer arg);

    public static native int ioctl(int fd, long request, long arg);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native long readv(int fd, long iov, int iovcnt);

    public static native long writev(int fd, long iov, int iovcnt);

    public static native int poll(long fds, long nfds, int timeoutMs);

    public static native String strerror(int errnum);

    public static native int eventfd(int initval, int flags);

    /** {@code ppoll(fds, nfds, timespec*, sigmask*)}: timespec 0 = wait without limit. */
    public static native int ppoll(long fds, long nfds, long timespec, long sigmask);

    /** pid 0 = the calling thread. */
    public static native int sched_setaffinity(int pid, long cpusetsize, long mask);

    public static native int sched_getaffinity(int pid, long cpusetsize, long mask);

    /** glibc 2.30+. */
    public static native int gettid();

    /** The calling thread's {@code errno} after the last native call. */
    public static int errno() {
        return Native.getLastError();
    }
}
