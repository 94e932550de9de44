package org.xnb.grant.xen;

import org.xnb.grant.EventChannel;
import org.xnb.grant.EventChannelException;

/**
 * A libxenevtchn handle. Linux's {@code /dev/xen/evtchn} masks a port when it delivers it and
 * queues it for {@code read}; {@link #waitPending} polls the fd with a timeout and then reads
 * one port, so it never blocks longer than asked.
 */
final class XenEventChannel implements EventChannel {
    private final EvtchnNative lib;
    private final long handle;
    private final int fd;
    private boolean closed;

    XenEventChannel(EvtchnNative lib, long handle) {
        this.lib = lib;
        this.handle = handle;
        this.fd = lib.fd(handle);
    }

    @Override
    public int bindInterdomain(int remoteDomid, int remotePort) {
        checkOpen();
        int port = lib.bindInterdomain(handle, remoteDomid, remotePort);
        if (port < 0) {
            throw failure("xenevtchn_bind_interdomain(domain " + remoteDomid + ", port " + remotePort + ")");
        }
        return port;
    }

    @Override
    public void notify(int localPort) {
        checkOpen();
        if (lib.notify(handle, localPort) != 0) {
            throw failure("xenevtchn_notify(port " + localPort + ")");
        }
    }

    @Override
    public int waitPending(long timeoutNanos) {
        checkOpen();
        if (!lib.awaitReadable(fd, timeoutNanos)) {
            return -1;
        }
        int port = lib.pending(handle);
        if (port < 0) {
            throw failure("xenevtchn_pending");
        }
        return port;
    }

    @Override
    public void unmask(int localPort) {
        checkOpen();
        if (lib.unmask(handle, localPort) != 0) {
            throw failure("xenevtchn_unmask(port " + localPort + ")");
        }
    }

    @Override
    public void unbind(int localPort) {
        checkOpen();
        if (lib.unbind(handle, localPort) != 0) {
            throw failure("xenevtchn_unbind(port " + localPort + ")");
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    /** Closes the handle; the kernel unbinds every port still bound to it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lib.close(handle);
        }
    }

    private EventChannelException failure(String call) {
        return new EventChannelException(call + ": " + Errno.describe(lib.errno()));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("event channel handle is closed");
        }
    }
}
