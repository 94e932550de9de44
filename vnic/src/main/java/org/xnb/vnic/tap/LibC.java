package org.xnb.vnic.tap;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The handful of libc calls the TAP layer needs, bound by JNA direct mapping
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
final class LibC {
    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("the TAP layer needs Linux (/dev/net/tun)");
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    // fcntl.h (x86_64 and aarch64 share these values; proven by TunHeaderConstantsIT)
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    // poll.h
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS = 4;
    static final int POLLFD_REVENTS = 6;

    /** {@code struct iovec { void *iov_base; size_t iov_len; }}. */
    static final int IOVEC_SIZE = 16;
    static final int IOVEC_LEN = 8;

    // errno.h
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EIO = 5;

    private LibC() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int ioctl(int fd, long request, long arg);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native long readv(int fd, long iov, int iovcnt);

    static native long writev(int fd, long iov, int iovcnt);

    static native int poll(long fds, long nfds, int timeoutMs);

    static native String strerror(int errnum);

    /** The calling thread's {@code errno} after the last native call. */
    static int errno() {
        return Native.getLastError();
    }
}
