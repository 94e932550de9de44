package org.xnb.netback.vif;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.xnb.grant.Hypervisor;
import org.xnb.netback.admin.CaptureAdmin;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.netback.xenbus.VifId;
import org.xnb.xenstore.XenstoreException;
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
public final class NetbackService implements AutoCloseable, LinkAdmin, FlowAdmin, CaptureAdmin {
    private final LearningSwitch port;
    private final VifBackend vifs;
    private final XenbusBackend xenbus;
    /** For the guests' names (admin requests only). */
    private final XenstoreClient xenstore;
    private final VifFlowAdmin flows;

    private NetbackService(LearningSwitch port, VifBackend vifs, XenbusBackend xenbus, XenstoreClient xenstore) {
        // port is null when a PortSelector chooses per vif
        this.port = port;
        this.vifs = vifs;
        this.xenbus = xenbus;
        this.xenstore = xenstore;
        this.flows = new VifFlowAdmin(vifs);
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
        return start(xenstore, hypervisor, backendDomid, clock, rateHook, lanes, VifBackend.defaultMaxQueues());
    }

    /** As above, advertising {@code maxQueues} in {@code multi-queue-max-queues}. */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid, Clock clock,
            RateHook rateHook, LaneScheduler lanes, int maxQueues) {
        LearningSwitch port = new LearningSwitch();
        VifBackend vifs = new VifBackend(hypervisor, PortSelector.always(port), clock, rateHook, lanes, maxQueues);
        XenbusBackend xenbus = XenbusBackend.start(xenstore, backendDomid, vifs);
        return new NetbackService(port, vifs, xenbus, xenstore);
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
        return start(xenstore, hypervisor, backendDomid, ports, clock, rateHook, lanes, VifBackend.defaultMaxQueues());
    }

    /**
     * As above, advertising {@code maxQueues} in {@code multi-queue-max-queues} (the daemon's
     * {@code --max-queues}): a guest may then run up to that many queues, each a lane.
     */
    public static NetbackService start(XenstoreClient xenstore, Hypervisor hypervisor, int backendDomid,
            PortSelector ports, Clock clock, RateHook rateHook, LaneScheduler lanes, int maxQueues) {
        VifBackend vifs = new VifBackend(hypervisor, ports, clock, rateHook, lanes, maxQueues);
        XenbusBackend xenbus = XenbusBackend.start(xenstore, backendDomid, vifs);
        return new NetbackService(null, vifs, xenbus, xenstore);
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

    // ---- LinkAdmin: every connected vif is a VNIC named vif<domid>.<devid> ----

    private List<Vif> sortedVifs() {
        List<Vif> list = new ArrayList<>(vifs.vifs().values());
        list.sort(Comparator.comparing(Vif::id));
        return list;
    }

    private Vif vifNamed(String link) {
        for (Map.Entry<VifId, Vif> e : vifs.vifs().entrySet()) {
            if (e.getKey().toString().equals(link)) {
                return e.getValue();
            }
        }
        List<String> names = sortedVifs().stream().map(Vif::toString).toList();
        throw new LinkAdminException("no link '" + link + "'; the connected vifs are: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    @Override
    public List<VnicStatus> vnics() {
        List<VnicStatus> out = new ArrayList<>();
        for (Vif v : sortedVifs()) {
            out.add(new VnicStatus(v.toString(), v.id().frontendDomid(), v.id().devid(), vifs.linkName(v.config()),
                    v.config().mac(), v.disabled() ? "disabled" : "up", guestName(v.id().frontendDomid())));
        }
        return out;
    }

    /** {@code /local/domain/<domid>/name}, or null. */
    private String guestName(int domid) {
        try {
            String name = xenstore.readString("/local/domain/" + domid + "/name");
            return name == null || name.isBlank() ? null : name.trim();
        } catch (XenstoreException | IllegalStateException e) {
            return null;
        }
    }

    @Override
    public List<LinkStatistics> statistics(String link) {
        List<LinkStatistics> out = new ArrayList<>();
        for (Vif v : link == null ? sortedVifs() : List.of(vifNamed(link))) {
            out.add(v.properties().statistics());
        }
        return out;
    }

    @Override
    public List<LinkPropertyStatus> properties(String link) {
        List<LinkPropertyStatus> out = new ArrayList<>();
        for (Vif v : link == null ? sortedVifs() : List.of(vifNamed(link))) {
            out.addAll(v.properties().show());
        }
        return out;
    }

    @Override
    public void setProperties(String link, String assignments, boolean temporary) {
        Vif v = vifNamed(link);
        try {
            v.properties().set(assignments);
        } catch (LinkAdminException e) {
            throw new LinkAdminException(link + ": " + e.getMessage());
        }
    }

    @Override
    public void resetProperty(String link, String name) {
        Vif v = vifNamed(link);
        try {
            v.properties().reset(name);
        } catch (LinkAdminException e) {
            throw new LinkAdminException(link + ": " + e.getMessage());
        }
    }

    // ---- FlowAdmin (flowadm on the vifs' lanes) and CaptureAdmin (snoop) ----

    @Override
    public FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties) {
        return flows.addFlow(name, link, spec, properties);
    }

    @Override
    public void removeFlow(String name) {
        flows.removeFlow(name);
    }

    @Override
    public List<String> removeFlows(String link) {
        return flows.removeFlows(link);
    }

    @Override
    public List<FlowStatus> flows(String link) {
        return flows.flows(link);
    }

    @Override
    public FlowStatus setFlowProperties(String name, String assignments) {
        return flows.setFlowProperties(name, assignments);
    }

    @Override
    public FlowStatus resetFlowProperty(String name, String property) {
        return flows.resetFlowProperty(name, property);
    }

    @Override
    public Tap capture(String link, FrameCapture capture) {
        Vif v = vifNamed(link);
        if (!v.attachCapture(capture)) {
            throw new LinkAdminException("a snoop already captures on " + link + "; one at a time per link");
        }
        return new Tap() {
            @Override
            public boolean live() {
                return vifs.vifs().get(v.id()) == v && !v.disabled();
            }

            @Override
            public void close() {
                v.detachCapture(capture);
            }
        };
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
