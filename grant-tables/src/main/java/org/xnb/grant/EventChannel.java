package org.xnb.grant;

/**
 * An event-channel handle (xenevtchn). A port that fires is delivered once by
 * {@link #waitPending} and then stays masked until {@link #unmask}, the semantics of Linux's
 * {@code /dev/xen/evtchn}: a backend handles the work, unmasks, and re-checks its ring.
 *
 * <p>Not thread-safe: one handle per lane.
 */
public interface EventChannel extends AutoCloseable {

    /**
     * Binds a local port to {@code remotePort} of {@code remoteDomid} (which the remote allocated
     * as unbound for us).
     *
     * <p>Xen sets the new local port pending (events sent to the still-unbound port may have been
     * lost), so the first {@link #waitPending} after a bind may return it with no work to do.
     *
     * @return the local port
     * @throws EventChannelException if the remote port does not exist or is not offered to us
     */
    int bindInterdomain(int remoteDomid, int remotePort);

    /** Sends an event to the remote end of a bound local port. */
    void notify(int localPort);

    /**
     * Waits up to {@code timeoutNanos} (0 = do not block) for a port of this handle to fire.
     *
     * @return the port that fired, now masked, or -1 if none fired in time
     */
    int waitPending(long timeoutNanos);

    /** Unmasks a port so that it can fire again (re-delivering an event that arrived meanwhile). */
    void unmask(int localPort);

    /** Unbinds a local port; the remote end sees it closed. */
    void unbind(int localPort);

    /** A file descriptor that polls readable while a port is pending, or -1 if there is none. */
    int fd();

    @Override
    void close();
}
