package org.xnb.grant.xen;

/**
 * The libxenevtchn calls xnb makes (plus waiting on the handle's fd), as an interface so that
 * tests substitute them. Failures return -1 (or 0 for {@link #open}) and leave errno.
 */
interface EvtchnNative {

    /** {@code xenevtchn_open(NULL, 0)}: a handle, or 0. */
    long open();

    /** {@code xenevtchn_close}. */
    int close(long handle);

    /** {@code xenevtchn_fd}. */
    int fd(long handle);

    /** {@code xenevtchn_bind_interdomain}: the local port, or -1. */
    int bindInterdomain(long handle, int domid, int remotePort);

    /** {@code xenevtchn_notify}. */
    int notify(long handle, int port);

    /** {@code xenevtchn_pending}: the port that fired (now masked), or -1. Blocks if none. */
    int pending(long handle);

    /** {@code xenevtchn_unmask}. */
    int unmask(long handle, int port);

    /** {@code xenevtchn_unbind}. */
    int unbind(long handle, int port);

    /** Waits for {@code fd} to be readable: true if it is, false after {@code timeoutNanos}. */
    boolean awaitReadable(int fd, long timeoutNanos);

    /** errno of the last call on this thread. */
    int errno();
}
