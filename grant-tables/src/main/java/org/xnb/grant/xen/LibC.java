package org.xnb.grant.xen;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few libc calls xnb makes itself, bound by JNA direct mapping (no varargs, pointers passed
 * as {@code long} addresses so that the hot paths allocate nothing). {@link #errno()} reads the
 * errno JNA saved after the last call on this thread. Linux x86-64/arm64 constants.
 */
public final class LibC {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    /** {@code MAP_FAILED}, i.e. {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;

    public static final short POLLIN = 0x1;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    public static native int open(String path, int flags, int mode);

    public static native int close(int fd);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    public static native int ftruncate(int fd, long length);

    public static native int mkfifo(String path, int mode);

    /** {@code ppoll(fds, nfds, timeout, sigmask)}: {@code timeout} 0 = wait forever, {@code sigmask} 0 = keep. */
    public static native int ppoll(long fds, long nfds, long timeout, long sigmask);

    /** The errno of the last native call made by this thread. */
    public static int errno() {
        return Native.getLastError();
    }
}
