package org.xnb.netback.vif;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** {@code eventfd(2)} through JNA direct mapping (read/write/ppoll come from grant-tables' LibC). */
final class LibEventFd {
    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private LibEventFd() {
    }

    static native int eventfd(int initval, int flags);
}
