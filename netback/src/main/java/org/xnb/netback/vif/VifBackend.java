package org.xnb.netback.vif;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xnb.grant.Hypervisor;
import org.xnb.netback.Clock;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.port.Port;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.FrontendOffer;
import org.xnb.netback.xenbus.FrontendRings;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifConnection;
import org.xnb.netback.xenbus.VifConnector;
import org.xnb.netback.xenbus.VifId;
import org.agrona.concurrent.SystemNanoClock;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/**
 * The data path behind the xenbus side: each {@link #connect} opens a {@link Vif} over the
 * {@link Hypervisor} (its own grant-table and event-channel handles, the rings mapped, the ports
 * bound, a lane of the {@link LaneScheduler}) attached to the {@link Port} a {@link PortSelector} chooses (one switch for all,
 * or the daemon's link named by the vif's {@code bridge}). A failure while taking over the rings (a bad
 * grant ref, a port not offered to us, a ring left in an impossible state for
 * {@link AttachMode#RESUME_LIVE}) is thrown back to the xenbus side, which writes the error node,
 * with nothing left mapped or bound.
 *
 * <p>The lanes: a scheduler given to the constructor stays the caller's (the daemon's, with its
 * counters file and threading mode); without one the backend makes its own, DEDICATED (a thread
 * per vif) with its counters in memory ({@link #lanes()}), and closes it with itself.
 */
public final class VifBackend implements VifConnector, AutoCloseable {
    private final Hypervisor hypervisor;
    private final PortSelector ports;
    private final Clock clock;
    private final RateHook rateHook;
    private final Map<VifId, Vif> live = new ConcurrentHashMap<>();
    /** Told of each vif once it is connected and listed in {@link #vifs()} (the xenbus thread). */
    private volatile java.util.function.Consumer<Vif> connected = v -> { };
    private final int maxQueues;
    private final LaneScheduler lanes;
    /** Made here (and closed by {@link #close()}) when the caller gave no scheduler; else null. */
    private final CountersFile ownCounters;

    public VifBackend(Hypervisor hypervisor, Port port, Clock clock, RateHook rateHook) {
        this(hypervisor, PortSelector.always(port), clock, rateHook, null);
    }

    /** Each vif joins the port {@code ports} chooses for it. */
    public VifBackend(Hypervisor hypervisor, PortSelector ports, Clock clock, RateHook rateHook) {
        this(hypervisor, ports, clock, rateHook, null);
    }

    /**
     * Each vif joins the port {@code ports} chooses for it and runs as a lane of {@code lanes}
     * (the caller's; null = a DEDICATED scheduler of this backend's own, counters in memory).
     */
    public VifBackend(Hypervisor hypervisor, PortSelector ports, Clock clock, RateHook rateHook,
            LaneScheduler lanes) {
        this(hypervisor, ports, clock, rateHook, lanes, defaultMaxQueues());
    }

    /**
     * As above, advertising {@code maxQueues} in {@code multi-queue-max-queues} (the daemon's
     * {@code --max-queues}; Linux's {@code xenvif_max_queues} module parameter).
     */
    public VifBackend(Hypervisor hypervisor, PortSelector ports, Clock clock, RateHook rateHook,
            LaneScheduler lanes, int maxQueues) {
        if (maxQueues < 1 || maxQueues > MAX_QUEUES_LIMIT) {
            throw new IllegalArgumentException("max queues " + maxQueues + " is not in 1.." + MAX_QUEUES_LIMIT);
        }
        this.maxQueues = maxQueues;
        this.hypervisor = hypervisor;
        this.ports = ports;
        this.clock = clock;
        this.rateHook = rateHook;
        if (lanes == null) {
            this.ownCounters = CountersFile.inMemory(OWN_COUNTERS);
            this.lanes = new LaneScheduler(ThreadingMode.DEDICATED, ownCounters, PollingPolicy.fromSystemProperties(),
                    SystemNanoClock.INSTANCE, 0);
        } else {
            this.ownCounters = null;
            this.lanes = lanes;
        }
    }

    /** The most queues a vif may have here (each is a lane, with its own thread when DEDICATED). */
    public static final int MAX_QUEUES_LIMIT = 64;
    /** The property overriding the default {@code multi-queue-max-queues}. */
    public static final String MAX_QUEUES_PROPERTY = "xnb.netback.maxQueues";

    /**
     * Linux's default {@code num_online_cpus()}, here the CPUs this JVM may use (affinity and
     * cgroup quota), unless the {@value #MAX_QUEUES_PROPERTY} property says otherwise.
     */
    public static int defaultMaxQueues() {
        String p = System.getProperty(MAX_QUEUES_PROPERTY);
        if (p != null) {
            try {
                return Math.max(1, Math.min(MAX_QUEUES_LIMIT, Integer.parseInt(p.trim())));
            } catch (NumberFormatException e) {
                System.getLogger(VifBackend.class.getName()).log(System.Logger.Level.WARNING,
                        MAX_QUEUES_PROPERTY + "=" + p + " is not a number; using the CPU count");
            }
        }
        return Math.max(1, Math.min(MAX_QUEUES_LIMIT, Runtime.getRuntime().availableProcessors()));
    }

    /** Counters of the backend's own scheduler: every lane counter of 256 vifs. */
    static final int OWN_COUNTERS = 256 * LaneCounter.count();

    public VifBackend(Hypervisor hypervisor, Port port) {
        this(hypervisor, port, Clock.SYSTEM, RateHook.NONE);
    }

    @Override
    public VifConnection connect(VifId id, int frontendDomid, FrontendRings rings, VifFeatures features,
            VifConfig config, AttachMode mode) {
        return connect(id, frontendDomid, new FrontendOffer(rings, features), config, mode);
    }

    /** Every queue of the offer a lane, and its control ring on queue 0's lane. */
    @Override
    public VifConnection connect(VifId id, int frontendDomid, FrontendOffer offer, VifConfig config,
            AttachMode mode) {
        Port port = ports.portFor(id, config);
        Vif vif = Vif.open(hypervisor, port, clock, rateHook, lanes, id, frontendDomid, offer, config, mode);
        live.put(id, vif);
        connected.accept(vif);
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

    /**
     * {@code listener} is called on the xenbus thread for each vif that connects from now on, after
     * it is in {@link #vifs()} and before its frontend hears of it (the daemon gives it the link
     * properties saved for its name there). It must not throw; one listener, the last set.
     */
    public void onConnected(java.util.function.Consumer<Vif> listener) {
        connected = listener;
    }

    /** {@code multi-queue-max-queues}: the CPUs this process may use unless the caller said otherwise. */
    @Override
    public int maxQueues() {
        return maxQueues;
    }

    /** {@code feature-ctrl-ring}: served (Toeplitz hashing chosen by the guest). */
    @Override
    public boolean controlRing() {
        return true;
    }

    /** The connected vif {@code id}, or null. */
    public Vif vif(VifId id) {
        return live.get(id);
    }

    /** Vifs connected now. */
    public Map<VifId, Vif> vifs() {
        return Map.copyOf(live);
    }

    /** The link name {@code config} leads to (the port selector's). */
    public String linkName(VifConfig config) {
        return ports.linkName(config);
    }

    /** The scheduler running the vifs' lanes. */
    public LaneScheduler lanes() {
        return lanes;
    }

    /**
     * Closes every vif still connected (the xenbus side normally closed them already), then the
     * backend's own scheduler and counters if it made them.
     */
    @Override
    public void close() {
        for (VifId id : live.keySet()) {
            Vif v = live.remove(id);
            if (v != null) {
                v.close();
            }
        }
        if (ownCounters != null) {
            lanes.close();
            ownCounters.close();
        }
    }
}
