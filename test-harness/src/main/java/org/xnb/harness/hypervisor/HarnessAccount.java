package org.xnb.harness.hypervisor;

import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the hypervisor holds for each domain, read from the shared files by any process, so a
 * test can assert that nothing leaked after a device closed: pinned grants, pages mapped, ports
 * bound, and per-port notification counters.
 */
public final class HarnessAccount implements AutoCloseable {
    private final HarnessDirectory harness;

    public HarnessAccount(Path dir) {
        this.harness = HarnessDirectory.open(dir);
    }

    /** Grant refs of {@code granter} currently pinned (mapped or being copied) by anyone. */
    public int pinnedGrants(int granter) {
        HarnessDomain d = harness.requireDomain(granter);
        UnsafeBuffer s = d.state();
        int pinned = 0;
        for (int ref = 0; ref < d.grantEntries(); ref++) {
            int a = DomainLayout.activeOffset(ref);
            if (s.getIntVolatile(a + DomainLayout.ACTIVE_READ_PINS) + s.getIntVolatile(a + DomainLayout.ACTIVE_WRITE_PINS) > 0) {
                pinned++;
            }
        }
        return pinned;
    }

    /** Pin count of one grant ref of {@code granter} (read and write pins). */
    public int pins(int granter, int ref) {
        HarnessDomain d = harness.requireDomain(granter);
        int a = DomainLayout.activeOffset(ref);
        return d.state().getIntVolatile(a + DomainLayout.ACTIVE_READ_PINS)
                + d.state().getIntVolatile(a + DomainLayout.ACTIVE_WRITE_PINS);
    }

    /** Pages {@code mapper} has mapped from other domains right now. */
    public long mappedPages(int mapper) {
        return harness.requireDomain(mapper).state().getLongVolatile(DomainLayout.MAPPED_PAGES_OFFSET);
    }

    /** Ports of {@code domid} that are not free (unbound or interdomain). */
    public int boundPorts(int domid) {
        HarnessDomain d = harness.requireDomain(domid);
        int bound = 0;
        for (int p = 1; p < d.ports(); p++) {
            if (d.state().getIntVolatile(d.portOffset(p) + DomainLayout.PORT_STATE) != DomainLayout.ECS_FREE) {
                bound++;
            }
        }
        return bound;
    }

    public PortState portState(int domid, int port) {
        return PortState.of(portInt(domid, port, DomainLayout.PORT_STATE));
    }

    /** The domain a port is connected (or offered) to. */
    public int remoteDomid(int domid, int port) {
        return portInt(domid, port, DomainLayout.PORT_REMOTE_DOMID);
    }

    /** Notify calls made on this port since it was allocated (including dropped ones). */
    public long notificationsSent(int domid, int port) {
        return portLong(domid, port, DomainLayout.PORT_NOTIFIES);
    }

    /** Events delivered to this port's handle since it was allocated. */
    public long eventsDelivered(int domid, int port) {
        return portLong(domid, port, DomainLayout.PORT_DELIVERED);
    }

    /** Deliveries lost because the owner's doorbell was full or gone. */
    public int deliveryOverflows(int domid, int port) {
        return portInt(domid, port, DomainLayout.PORT_OVERFLOWS);
    }

    public boolean pending(int domid, int port) {
        return (portInt(domid, port, DomainLayout.PORT_BITS) & DomainLayout.BIT_PENDING) != 0;
    }

    public boolean masked(int domid, int port) {
        return (portInt(domid, port, DomainLayout.PORT_BITS) & DomainLayout.BIT_MASKED) != 0;
    }

    private int portInt(int domid, int port, int field) {
        HarnessDomain d = portDomain(domid, port);
        return d.state().getIntVolatile(d.portOffset(port) + field);
    }

    private long portLong(int domid, int port, int field) {
        HarnessDomain d = portDomain(domid, port);
        return d.state().getLongVolatile(d.portOffset(port) + field);
    }

    private HarnessDomain portDomain(int domid, int port) {
        HarnessDomain d = harness.requireDomain(domid);
        if (!d.validPort(port)) {
            throw new IllegalArgumentException("port " + port + " outside 1.." + (d.ports() - 1) + " of domain " + domid);
        }
        return d;
    }

    @Override
    public void close() {
        harness.close();
    }
}
