package org.xnb.netback.vif;

import org.xnb.grant.Hypervisor;
import org.xnb.netback.Clock;
import org.xnb.netback.port.LearningSwitch;
import org.xnb.netback.xenbus.XenbusBackend;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.xenstore.XenstoreClient;

/**
 * netback as the daemon runs it: the xenbus side ({@link XenbusBackend}) discovering vifs and
 * running their handshakes, the data path ({@link VifBackend}) connecting each one, and the
 * in-process {@link LearningSwitch} between them.
 *
 * <pre>
 *  xenstore --watches--> XenbusBackend --connect/close--> VifBackend --attach--> LearningSwitch
 *                         (xenbus thread)                  (a lane per vif:       (lock-free)
 *                                                           LaneScheduler)
 * </pre>
 *
 * <p>{@link #shutdown()} is the daemon's normal stop (Closing, Closed written for every vif).
 * {@link #close()} stops the xenbus side first (it closes every connection but writes nothing,
 * so a new service started later on the same host re-attaches to the live rings with
 * {@code RESUME_LIVE}), then any vif still open. The caller owns the client and the hypervisor.
 */
public final class NetbackService implements AutoCloseable {
    private final LearningSwitch port;
    private final VifBackend vifs;
    private final XenbusBackend xenbus;

    private NetbackService(LearningSwitch port, VifBackend vifs, XenbusBackend xenbus) {
        // port is null when a PortSelector chooses per vif
        this.port = port;
        this.vifs = vifs;
        this.xenbus = xenbus;
    }

    /** Starts serving the vifs of backend domain {@code backendDomid}. */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid) {
        return start(xenstore, hypervisor, backendDomid, Clock.SYSTEM, RateHook.NONE);
    }

    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid, Clock clock,
            RateHook rateHook) {
        return start(xenstore, hypervisor, backendDomid, clock, rateHook, null);
    }

    /** One switch for all vifs, each vif a lane of {@code lanes} (null = the backend's own, DEDICATED). */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid, Clock clock,
            RateHook rateHook, LaneScheduler lanes) {
        LearningSwitch port = new LearningSwitch();
        VifBackend vifs = new VifBackend(hypervisor, PortSelector.always(port), clock, rateHook, lanes);
        XenbusBackend xenbus = XenbusBackend.start(xenstore, backendDomid, vifs);
        return new NetbackService(port, vifs, xenbus);
    }

    /**
     * Starts serving the vifs of backend domain {@code backendDomid}, each vif joining the port
     * {@code ports} chooses (the daemon's links). {@link #port()} is then null.
     */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid,
            PortSelector ports, Clock clock, RateHook rateHook) {
        return start(xenstore, hypervisor, backendDomid, ports, clock, rateHook, null);
    }

    /**
     * As {@link #start(XenstoreClient, Hypervisor, int, PortSelector, Clock, RateHook)}, each vif a
     * lane of {@code lanes} (the caller's: its counters file and threading mode; null = a DEDICATED
     * scheduler of the backend's own with counters in memory).
     */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid,
            PortSelector ports, Clock clock, RateHook rateHook, LaneScheduler lanes) {
        VifBackend vifs = new VifBackend(hypervisor, ports, clock, rateHook, lanes);
        XenbusBackend xenbus = XenbusBackend.start(xenstore, backendDomid, vifs);
        return new NetbackService(null, vifs, xenbus);
    }

    /** The one switch of {@link #start(XenstoreClient, Hypervisor, int)}; null with a {@link PortSelector}. */
    public LearningSwitch port() {
        return port;
    }

    public VifBackend vifs() {
        return vifs;
    }

    public XenbusBackend xenbus() {
        return xenbus;
    }

    @Override
    public void close() {
        try {
            xenbus.close();
        } finally {
            vifs.close();
        }
    }

    /**
     * Stops for good (the daemon's SIGTERM): every vif disconnected and its backend state taken
     * through Closing to Closed, so guests let go of their rings; then any vif left. Unlike
     * {@link #close()} a later service does not resume these vifs live.
     */
    public void shutdown() {
        try {
            xenbus.shutdown();
        } finally {
            vifs.close();
        }
    }
}
