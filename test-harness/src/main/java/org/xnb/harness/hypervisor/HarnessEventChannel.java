package org.xnb.harness.hypervisor;

import static org.xnb.harness.hypervisor.DomainLayout.BIT_MASKED;
import static org.xnb.harness.hypervisor.DomainLayout.BIT_PENDING;
import static org.xnb.harness.hypervisor.DomainLayout.ECS_FREE;
import static org.xnb.harness.hypervisor.DomainLayout.ECS_INTERDOMAIN;
import static org.xnb.harness.hypervisor.DomainLayout.ECS_UNBOUND;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_BITS;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_DELIVERED;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_NOTIFIES;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_OVERFLOWS;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_OWNER;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_OWNER_PID;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_REMOTE_DOMID;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_REMOTE_PORT;
import static org.xnb.harness.hypervisor.DomainLayout.PORT_STATE;

import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.EventChannel;
import org.xnb.grant.EventChannelException;

/**
 * An event-channel handle of the harness, for a backend or a simulated guest, in any process.
 * Ports live in the shared port table of the domain ({@link DomainLayout}); delivered port
 * numbers travel through the handle's {@link Doorbell}.
 *
 * <p>Semantics are Xen's plus Linux's {@code /dev/xen/evtchn}:
 * <ul>
 * <li>notify sets the remote port pending; only the transition of an unmasked port delivers it,
 *     and delivery masks it (one CAS on the port's bits word, then one FIFO write);</li>
 * <li>a notify that finds the port masked only sets pending; {@link #unmask} turns a pending bit
 *     into a new delivery, so an event that arrives while the backend works is never lost;</li>
 * <li>a notify on a port whose remote end went away is dropped silently (Xen's ECS_UNBOUND);
 *     a notify on a port not bound to this handle fails (Linux: ENOTCONN);</li>
 * <li>binding sets the new local port pending, as Xen's bind_interdomain does to make up for
 *     events sent to the unbound port: expect one event right after a bind;</li>
 * <li>unbinding (or closing the handle) frees the local port and returns the remote port to
 *     ECS_UNBOUND, which the remote can see in {@link HarnessAccount#portState}.</li>
 * <li>a process that dies without closing (kill -9) cannot unbind; Linux closes its evtchn fd
 *     for it. Here a bind to a remote port still held by a port of a dead process first closes
 *     that stale port, so a restarted backend can bind again.</li>
 * </ul>
 * Not thread-safe: one handle per lane, used by one thread at a time.
 */
public final class HarnessEventChannel implements EventChannel {
    /** Bounds the CAS loops on a port's bits word; another party would have to win this often. */
    private static final int CAS_RETRIES = 1_000_000;
    private static final int MAX_STALE = 1_024;
    private static final long SELF_PID = ProcessHandle.current().pid();

    private final HarnessDirectory harness;
    private final int domid;
    private final HarnessDomain self;
    private final int handleId;
    private final Doorbell doorbell;
    private final DoorbellRinger ringer;
    private final IntHashSet owned = new IntHashSet();
    private boolean closed;

    HarnessEventChannel(HarnessDirectory harness, int domid) {
        this.harness = harness;
        this.domid = domid;
        this.self = harness.requireDomain(domid);
        this.handleId = harness.nextHandleId();
        this.doorbell = new Doorbell(harness.doorbell(handleId));
        this.ringer = new DoorbellRinger(harness);
    }

    /** The domain this handle acts for. */
    public int domid() {
        return domid;
    }

    /**
     * Allocates a port that {@code remoteDomid} may bind to (EVTCHNOP_alloc_unbound), as a
     * frontend does before writing it to xenstore.
     */
    public int allocateUnbound(int remoteDomid) {
        checkOpen();
        int port;
        harness.lockPorts();
        try {
            port = claimFreePort();
            initPort(port, ECS_UNBOUND, remoteDomid, 0);
        } finally {
            harness.unlockPorts();
        }
        owned.add(port);
        return port;
    }

    @Override
    public int bindInterdomain(int remoteDomid, int remotePort) {
        checkOpen();
        HarnessDomain remote = harness.domain(remoteDomid);
        if (remote == null) {
            throw new EventChannelException("bind to port " + remotePort + " of domain " + remoteDomid
                    + ": no such domain (ESRCH)");
        }
        int port;
        harness.lockPorts();
        try {
            if (!remote.validPort(remotePort)) {
                throw new EventChannelException("bind to port " + remotePort + " of domain " + remoteDomid
                        + ": no such port (EINVAL)");
            }
            UnsafeBuffer r = remote.state();
            int ro = remote.portOffset(remotePort);
            releaseIfOwnerDead(r, ro);
            if (r.getInt(ro + PORT_STATE) != ECS_UNBOUND || r.getInt(ro + PORT_REMOTE_DOMID) != domid) {
                throw new EventChannelException("bind to port " + remotePort + " of domain " + remoteDomid
                        + ": not an unbound port offered to domain " + domid + " (EINVAL)");
            }
            port = claimFreePort();
            initPort(port, ECS_INTERDOMAIN, remoteDomid, remotePort);
            r.putInt(ro + PORT_REMOTE_PORT, port);
            r.putIntVolatile(ro + PORT_STATE, ECS_INTERDOMAIN);
        } finally {
            harness.unlockPorts();
        }
        owned.add(port);
        raise(self, port);
        return port;
    }

    /**
     * If the remote port is bound to one of our domain's ports whose owning process is gone,
     * closes that port as the kernel would have when the process died. Port lock held.
     */
    private void releaseIfOwnerDead(UnsafeBuffer r, int ro) {
        if (r.getInt(ro + PORT_STATE) != ECS_INTERDOMAIN || r.getInt(ro + PORT_REMOTE_DOMID) != domid) {
            return;
        }
        int stale = r.getInt(ro + PORT_REMOTE_PORT);
        if (!self.validPort(stale)) {
            return;
        }
        UnsafeBuffer s = self.state();
        int o = self.portOffset(stale);
        long pid = s.getLong(o + PORT_OWNER_PID);
        // a live handle (ours or another process's) holds it: the bind fails below, as in Xen
        if (pid == 0 || pid == SELF_PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return;
        }
        release(stale);
    }

    private int claimFreePort() {
        UnsafeBuffer s = self.state();
        for (int p = 1; p < self.ports(); p++) {
            if (s.getIntVolatile(self.portOffset(p) + PORT_STATE) == ECS_FREE) {
                return p;
            }
        }
        throw new EventChannelException("domain " + domid + " has no free event-channel port (" + self.ports()
                + " ports, ENOSPC)");
    }

    private void initPort(int port, int state, int remoteDomid, int remotePort) {
        UnsafeBuffer s = self.state();
        int o = self.portOffset(port);
        s.putInt(o + PORT_REMOTE_DOMID, remoteDomid);
        s.putInt(o + PORT_REMOTE_PORT, remotePort);
        s.putInt(o + PORT_OWNER, handleId);
        s.putLong(o + PORT_OWNER_PID, SELF_PID);
        s.putInt(o + PORT_BITS, 0);
        s.putInt(o + PORT_OVERFLOWS, 0);
        s.putLong(o + PORT_NOTIFIES, 0);
        s.putLong(o + PORT_DELIVERED, 0);
        s.putIntVolatile(o + PORT_STATE, state);
    }

    @Override
    public void notify(int localPort) {
        checkOwned(localPort, "notify");
        UnsafeBuffer s = self.state();
        int o = self.portOffset(localPort);
        s.getAndAddLong(o + PORT_NOTIFIES, 1);
        if (s.getIntVolatile(o + PORT_STATE) != ECS_INTERDOMAIN) {
            return; // the remote end closed: Xen drops the event
        }
        int remoteDomid = s.getInt(o + PORT_REMOTE_DOMID);
        int remotePort = s.getInt(o + PORT_REMOTE_PORT);
        HarnessDomain remote = harness.domain(remoteDomid);
        if (remote == null || !remote.validPort(remotePort)) {
            return;
        }
        // The remote entry must still point back at us; else it was unbound (and maybe reused).
        UnsafeBuffer r = remote.state();
        int ro = remote.portOffset(remotePort);
        if (r.getIntVolatile(ro + PORT_STATE) != ECS_INTERDOMAIN || r.getInt(ro + PORT_REMOTE_DOMID) != domid
                || r.getInt(ro + PORT_REMOTE_PORT) != localPort) {
            return;
        }
        raise(remote, remotePort);
    }

    /**
     * Sets {@code port} pending. Unmasked: mask it and deliver (the not-pending to pending edge
     * of an unmasked port is the only thing that rings a doorbell). Masked: leave it pending for
     * {@link #unmask} to deliver.
     */
    private void raise(HarnessDomain domain, int port) {
        UnsafeBuffer s = domain.state();
        int o = domain.portOffset(port);
        for (int i = 0; i < CAS_RETRIES; i++) {
            int bits = s.getIntVolatile(o + PORT_BITS);
            if ((bits & BIT_MASKED) != 0) {
                if ((bits & BIT_PENDING) != 0 || s.compareAndSetInt(o + PORT_BITS, bits, bits | BIT_PENDING)) {
                    return;
                }
            } else if (s.compareAndSetInt(o + PORT_BITS, bits, BIT_MASKED)) {
                deliver(domain, port);
                return;
            }
        }
        throw new IllegalStateException("event channel port " + port + " of domain " + domain.domid() + " is thrashing");
    }

    private void deliver(HarnessDomain domain, int port) {
        UnsafeBuffer s = domain.state();
        int o = domain.portOffset(port);
        s.getAndAddLong(o + PORT_DELIVERED, 1);
        int owner = s.getIntVolatile(o + PORT_OWNER);
        if (owner != 0 && !ringer.ring(owner, port)) {
            s.getAndAddInt(o + PORT_OVERFLOWS, 1);
        }
    }

    @Override
    public int waitPending(long timeoutNanos) {
        checkOpen();
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0: " + timeoutNanos);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        for (int stale = 0; stale < MAX_STALE; stale++) {
            int port = doorbell.next(Math.max(0, deadline - System.nanoTime()));
            if (port < 0 || owned.contains(port)) {
                return port;
            }
            // a port unbound after its delivery was queued: skip it, like a spurious event
        }
        return -1;
    }

    @Override
    public void unmask(int localPort) {
        checkOwned(localPort, "unmask");
        UnsafeBuffer s = self.state();
        int o = self.portOffset(localPort);
        for (int i = 0; i < CAS_RETRIES; i++) {
            int bits = s.getIntVolatile(o + PORT_BITS);
            if ((bits & BIT_PENDING) != 0) {
                // an event arrived while masked: deliver it again, staying masked
                if (s.compareAndSetInt(o + PORT_BITS, bits, BIT_MASKED)) {
                    deliver(self, localPort);
                    return;
                }
            } else if ((bits & BIT_MASKED) == 0 || s.compareAndSetInt(o + PORT_BITS, bits, 0)) {
                return;
            }
        }
        throw new IllegalStateException("event channel port " + localPort + " of domain " + domid + " is thrashing");
    }

    @Override
    public void unbind(int localPort) {
        checkOwned(localPort, "unbind");
        harness.lockPorts();
        try {
            release(localPort);
        } finally {
            harness.unlockPorts();
        }
        owned.remove(localPort);
    }

    /** Frees a local port and returns its remote end to ECS_UNBOUND (Xen's evtchn_close). Port lock held. */
    private void release(int port) {
        UnsafeBuffer s = self.state();
        int o = self.portOffset(port);
        if (s.getInt(o + PORT_STATE) == ECS_INTERDOMAIN) {
            HarnessDomain remote = harness.domain(s.getInt(o + PORT_REMOTE_DOMID));
            int remotePort = s.getInt(o + PORT_REMOTE_PORT);
            if (remote != null && remote.validPort(remotePort)) {
                UnsafeBuffer r = remote.state();
                int ro = remote.portOffset(remotePort);
                if (r.getInt(ro + PORT_STATE) == ECS_INTERDOMAIN && r.getInt(ro + PORT_REMOTE_DOMID) == domid
                        && r.getInt(ro + PORT_REMOTE_PORT) == port) {
                    r.putInt(ro + PORT_REMOTE_PORT, 0);
                    r.putIntVolatile(ro + PORT_STATE, ECS_UNBOUND);
                }
            }
        }
        s.putInt(o + PORT_OWNER, 0);
        s.putLong(o + PORT_OWNER_PID, 0);
        s.putInt(o + PORT_BITS, 0);
        s.putIntVolatile(o + PORT_STATE, ECS_FREE);
    }

    @Override
    public int fd() {
        return doorbell.fd();
    }

    /** Unbinds every port of this handle, then removes its doorbell. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        harness.lockPorts();
        try {
            owned.forEach(this::release);
        } finally {
            harness.unlockPorts();
        }
        owned.clear();
        ringer.close();
        doorbell.close();
    }

    private void checkOwned(int port, String op) {
        checkOpen();
        if (!owned.contains(port)) {
            throw new EventChannelException(op + " port " + port + " of domain " + domid
                    + ": not bound to this handle (ENOTCONN)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("event channel handle is closed");
        }
    }
}
