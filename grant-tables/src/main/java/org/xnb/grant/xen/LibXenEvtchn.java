package org.xnb.grant.xen;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libxenevtchn.so.1 bound by JNA direct mapping, plus ppoll(2) on the handle's fd. Loading this
 * class loads the library, so it is only touched once {@link XenHypervisor} has checked that
 * the device exists. One instance per {@link XenEventChannel}: it owns that handle's poll buffers.
 */
final class LibXenEvtchn implements EvtchnNative {
    static final String LIBRARY = "libxenevtchn.so.1";

    static {
        Native.register(NativeLibrary.getInstance(LIBRARY));
    }

    private final PollWait poll = new PollWait();

    private static native long xenevtchn_open(long logger, int openFlags);

    private static native int xenevtchn_close(long handle);

    private static native int xenevtchn_fd(long handle);

    private static native int xenevtchn_bind_interdomain(long handle, int domid, int remotePort);

    private static native int xenevtchn_notify(long handle, int port);

    private static native int xenevtchn_pending(long handle);

    private static native int xenevtchn_unmask(long handle, int port);

    private static native int xenevtchn_unbind(long handle, int port);

    @Override
    public long open() {
        return xenevtchn_open(0, 0);
    }

    @Override
    public int close(long handle) {
        return xenevtchn_close(handle);
    }

    @Override
    public int fd(long handle) {
        return xenevtchn_fd(handle);
    }

    @Override
    public int bindInterdomain(long handle, int domid, int remotePort) {
        return xenevtchn_bind_interdomain(handle, domid, remotePort);
    }

    @Override
    public int notify(long handle, int port) {
        return xenevtchn_notify(handle, port);
    }

    @Override
    public int pending(long handle) {
        return xenevtchn_pending(handle);
    }

    @Override
    public int unmask(long handle, int port) {
        return xenevtchn_unmask(handle, port);
    }

    @Override
    public int unbind(long handle, int port) {
        return xenevtchn_unbind(handle, port);
    }

    @Override
    public boolean awaitReadable(int fd, long timeoutNanos) {
        return poll.awaitReadable(fd, timeoutNanos);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
