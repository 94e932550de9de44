package org.xnb.netback.vif;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xnb.grant.Hypervisor;
import org.xnb.netback.Clock;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.port.Port;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.FrontendRings;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifConnection;
import org.xnb.netback.xenbus.VifConnector;
import org.xnb.netback.xenbus.VifId;

/**
 * The data path behind the xenbus side: each {@link #connect} opens a {@link Vif} over the
 * {@link Hypervisor} (its own grant-table and event-channel handles, the rings mapped, the ports
 * bound, a thread) attached to the {@link Port} a {@link PortSelector} chooses (one switch for all,
 * or the daemon's link named by the vif's {@code bridge}). A failure while taking over the rings (a bad
 * grant ref, a port not offered to us, a ring left in an impossible state for
 * {@link AttachMode#RESUME_LIVE}) is thrown back to the xenbus side, which writes the error node,
 * with nothing left mapped or bound.
 */
public final class VifBackend implements VifConnector, AutoCloseable {
    private final Hypervisor hypervisor;
    private final PortSelector ports;
    private final Clock clock;
    private final RateHook rateHook;
    private final Map<VifId, Vif> live = new ConcurrentHashMap<>();

    public VifBackend(Hypervisor hypervisor, Port port, Clock clock, RateHook rateHook) {
        this(hypervisor, PortSelector.always(port), clock, rateHook);
    }

    /** Each vif joins the port {@code ports} chooses for it. */
    public VifBackend(Hypervisor hypervisor, PortSelector ports, Clock clock, RateHook rateHook) {
        this.hypervisor = hypervisor;
        this.ports = ports;
        this.clock = clock;
        this.rateHook = rateHook;
    }

    public VifBackend(Hypervisor hypervisor, Port port) {
        this(hypervisor, port, Clock.SYSTEM, RateHook.NONE);
    }

    @Override
    public VifConnection connect(VifId id, int frontendDomid, FrontendRings rings, VifFeatures features,
            VifConfig config, AttachMode mode) {
        Port port = ports.portFor(id, config);
        Vif vif = Vif.open(hypervisor, port, clock, rateHook, id, frontendDomid, rings, features, config, mode);
        live.put(id, vif);
        return new VifConnection() {
            @Override
            public void rateChanged(org.xnb.netback.xenbus.RateLimit rate) {
                vif.rateChanged(rate);
            }

            @Override
            public void close() {
                live.remove(id, vif);
                vif.close();
            }
        };
    }

    /** The connected vif {@code id}, or null. */
    public Vif vif(VifId id) {
        return live.get(id);
    }

    /** Vifs connected now. */
    public Map<VifId, Vif> vifs() {
        return Map.copyOf(live);
    }

    /** Closes every vif still connected (the xenbus side normally closed them already). */
    @Override
    public void close() {
        for (VifId id : live.keySet()) {
            Vif v = live.remove(id);
            if (v != null) {
                v.close();
            }
        }
    }
}
