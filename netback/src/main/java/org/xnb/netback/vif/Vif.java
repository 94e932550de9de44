package org.xnb.netback.vif;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.xnb.grant.Hypervisor;
import org.xnb.netback.Clock;
import org.xnb.netback.FatalGuestError;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.MulticastList;
import org.xnb.netback.QueueListener;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.netback.ctrl.CtrlRing;
import org.xnb.netback.hash.FrameHash;
import org.xnb.netback.hash.QueueSelector;
import org.xnb.netback.port.MacAddress;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.tx.TxEngine;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.FrontendOffer;
import org.xnb.netback.xenbus.FrontendRings;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifConnection;
import org.xnb.netback.xenbus.VifId;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.ThreadingMode;

/**
 * One connected vif: one {@link VifQueue} per netfront queue (each with its own grant-table and
 * event-channel handles, the guest's Tx and Rx rings mapped writable, its port(s) bound, a Tx and
 * an Rx engine and a vnic lane {@code <vif>/<queue>} of the {@link LaneScheduler} running both),
 * one link to the {@link Port}, and the queue selector that steers each frame from the port to a
 * queue ({@link QueueSelector}: the guest's Toeplitz table once its control ring set one, else a
 * hash over the flow's addresses and ports, so one flow always takes one queue and keeps its
 * order). The control ring, when the guest has one, is served by queue 0's lane (see
 * {@link VifQueue}). Below, "the lane" is each queue's.
 *
 * <pre>
 *  guest Tx ring --TxEngine--> PortLink.onFrame --> port (switch) --> other vifs' receivers
 *  other vifs / port --receiver: RxEngine.offer + Doorbell.ring--> RxEngine --> guest Rx ring
 *
 *  lane (LaneWork):  doWork   = apply a rate change ; unmask due ports ; tx.doWork + rx.doWork ;
 *                               count IPKTS/RBYTES (Tx taken), OPKTS/OBYTES (Rx delivered), SDROPS;
 *                               returns those packets and drops (requests left after the Tx batch
 *                               limit show in the final check, so the lane runs again at once)
 *                    arm      = RING_FINAL_CHECK_FOR_REQUESTS on Tx (not while credit-blocked)
 *                    wakeFd   = the event-channel fd ; onWake = drain evtchn (XSA-332 guard)
 *                    timeout  = none while idle with an empty Rx queue (blocked, no CPU); 100 ms
 *                               while frames wait for guest buffers (expiry and stall checks);
 *                               no later than the Tx credit's refill ({@code rate}) or a held unmask
 * </pre>
 * The lane decides between interrupt mode (block in ppoll on the event-channel fd and the lane's
 * doorbell) and poll mode (batches with back-off while the guest keeps it busy). While the lane
 * runs (busy batches, or polling) a delivered port stays masked until the lane is about to block:
 * that is the suppression; such an event is taken then, as one that had work if a batch did work
 * since the last block (else it counts for the XSA-332 guard like any other).
 *
 * <p>Events (XSA-332): a port whose event found no new work on its ring is counted as spurious
 * and, from the second in a row, unmasked only after a growing delay ({@link SpuriousEventGuard},
 * Linux's lateeoi); the Tx port of a queue waiting for credit is unmasked when the credit is due
 * (Linux sends the Tx EOI from the credit timer), so neither kicks nor a storm of notifications
 * can keep the thread busy.
 *
 * <p>A fatal guest error (any engine of any queue, or the control ring) disables only this vif,
 * as Linux's {@code xenvif_fatal_tx_err} takes the whole vif's carrier down: it detaches from
 * the port, each queue stops its Rx engine and drops what was queued, one line is logged, and
 * every queue's lane leaves the scheduler (with DEDICATED threads their threads end); the rings,
 * ports and handles stay until {@link #close()}, which the xenbus side calls when the device goes.
 */
public final class Vif implements VifConnection {
    /** Poll timeout while frames wait for guest Rx buffers. */
    static final long QUEUED_POLL_NS = 100_000_000L;
    private static final Logger LOG = System.getLogger(Vif.class.getName());

    private final VifId id;
    private final int domid;
    private final AttachMode mode;
    private final VifQueue[] queues;
    private final QueueSelector selector;
    /** The vif's flows (flowadm), one table for all its queues' gates. */
    private final LinkFlows flows;
    private PortLink link;
    private final VifConfig config;
    private VifLinkProperties properties;
    private final RateHook rateHook;
    private final Clock clock;
    private final LaneScheduler lanes;

    private volatile FatalGuestError fatal;
    private volatile boolean disabled;
    private volatile RateLimit rate;
    private boolean closed;
    /** Set once {@link #close()} has released everything (tests wait for it). */
    private volatile boolean released;

    /**
     * What the Rx side receives from the port: steer the frame to a queue (one volatile read of
     * the guest's settings, nothing allocated), queue it there and ring that queue's lane.
     */
    private final FrameSink receiver = new FrameSink() {
        @Override
        public void onFrame(long address, int length, FrameMetadata metadata) {
            VifQueue[] qs = queues;
            // NONE unless the guest chose Toeplitz and its flags cover the frame; then it also
            // gets the hash as a HASH extra (Linux: xenvif_set_skb_hash, then the Rx extra)
            long hash = selector.guestHash(address, length);
            int q = qs.length == 1 ? 0 : hash != FrameHash.NONE ? selector.queueOf(hash) : selector.select(address, length);
            qs[q].offer(address, length, metadata, hash);
        }
    };

    private final QueueListener listener = new QueueListener() {
        @Override
        public void onFatal(FatalGuestError error) {
            if (fatal == null) {
                fatal = error;
            }
        }
    };

    /** One queue from the top-level keys, no control ring. */
    static Vif open(Hypervisor hypervisor, Port port, Clock clock, RateHook rateHook, LaneScheduler lanes, VifId id,
            int frontendDomid, FrontendRings rings, VifFeatures features, VifConfig config, AttachMode mode) {
        return open(hypervisor, port, clock, rateHook, lanes, id, frontendDomid, new FrontendOffer(rings, features),
                config, mode);
    }

    /**
     * Maps every queue's rings and binds its ports (queue by queue, as Linux's {@code connect()}),
     * then the control ring, attaches to the port and opens a lane per queue; on any failure
     * releases everything it took (earlier queues included) and rethrows.
     */
    static Vif open(Hypervisor hypervisor, Port port, Clock clock, RateHook rateHook, LaneScheduler lanes, VifId id,
            int frontendDomid, FrontendOffer offer, VifConfig config, AttachMode mode) {
        Vif vif = new Vif(id, frontendDomid, mode, offer.queues().size(), config, clock, rateHook, lanes);
        List<Lane> opened = new ArrayList<>();
        try {
            for (int q = 0; q < vif.queues.length; q++) {
                vif.queues[q] = VifQueue.map(vif, q, hypervisor, frontendDomid, offer.queues().get(q), mode);
            }
            if (offer.ctrl() != null) {
                vif.queues[0].attachControlRing(frontendDomid, offer.ctrl(), mode, vif.selector, vif.listener);
            }
            MulticastList multicast = new MulticastList(); // per vif, as Linux's vif->fe_mcast_addr
            Object flowLock = vif.queues.length > 1 ? new Object() : null;
            for (VifQueue q : vif.queues) {
                q.startRx(frontendDomid, offer.features(), multicast, vif.listener,
                        new VifFrameGate(vif.flows, flowLock));
            }
            // from here other vifs' lanes may deliver to the Rx engines (no doorbell until the lanes open)
            vif.link = port.attach(id.toString(), MacAddress.parse(config.mac()), vif.receiver);
            List<TxFilter> filters = new ArrayList<>();
            for (VifQueue q : vif.queues) {
                q.startTx(frontendDomid, multicast, vif.link, vif.rate, vif.listener);
                filters.add(q.txFilter());
            }
            vif.properties = new VifLinkProperties(vif, filters, config.mac());
            for (VifQueue q : vif.queues) {
                Lane l = lanes.open(id.toString(), q.index, q.work, LanePriority.MEDIUM, 0);
                opened.add(l);
                q.laneThread = lanes.threadOf(l);
            }
            return vif;
        } catch (RuntimeException | Error e) {
            if (vif.link != null) {
                vif.link.close();
            }
            for (Lane l : opened) {
                lanes.close(l);
            }
            for (VifQueue q : vif.queues) {
                if (q != null) {
                    q.releaseUnstarted();
                }
            }
            throw e;
        }
    }

    private Vif(VifId id, int domid, AttachMode mode, int queueCount, VifConfig config, Clock clock,
            RateHook rateHook, LaneScheduler lanes) {
        this.id = id;
        this.domid = domid;
        this.mode = mode;
        this.queues = new VifQueue[queueCount];
        this.selector = new QueueSelector(queueCount);
        this.flows = new LinkFlows(id.toString());
        this.config = config;
        this.rate = config.rate();
        this.rateHook = rateHook;
        this.clock = clock;
        this.lanes = lanes;
    }

    /**
     * On a queue's lane after a fatal error (or a failure, {@code from} then the failing queue or
     * null): nothing reaches or leaves the guest any more, every queue's lane stops its Rx side
     * when it next runs (its doorbell is rung) and every lane leaves the scheduler (from another
     * thread: a lane thread cannot join itself).
     */
    void disable(VifQueue from) {
        synchronized (this) {
            if (disabled) {
                return;
            }
            disabled = true;
        }
        link.close();
        FatalGuestError f = fatal;
        LOG.log(Level.WARNING, "{0}: disabled ({1}); other vifs keep running", id,
                f != null ? "fatal guest error: " + f.rule() : "data path failure");
        List<Lane> all = new ArrayList<>();
        for (VifQueue q : queues) {
            Lane l = q.lane;
            if (l != null) {
                all.add(l);
                if (q != from) {
                    l.doorbell().ring();
                }
            }
        }
        Thread closer = new Thread(() -> all.forEach(lanes::close), id + "-disable");
        closer.setDaemon(true);
        closer.start();
    }

    /** From the xenbus thread: recorded, handed to every queue's lane, which applies it at once. */
    @Override
    public void rateChanged(RateLimit newRate) {
        this.rate = newRate;
        if (!properties.maxbwOverrides(newRate)) {
            for (VifQueue q : queues) {
                q.handRate(newRate);
            }
        }
        rateHook.rateChanged(id, newRate);
    }

    /**
     * Takes every lane out of service (bounded: the scheduler waits {@link LaneThread#JOIN_MS} for
     * each thread), detaches from the port, drops queued frames, unbinds the ports, unmaps the
     * rings (the control ring too) and closes the handles. If a lane's thread does not stop in
     * time the rings stay mapped (unmapping under a running engine would fault) and an error is
     * logged.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        link.close(); // no new frames from other vifs; deliveries under way have finished
        for (VifQueue q : queues) {
            try {
                lanes.close(q.lane);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "{0}/{1}: lane did not stop ({2}); rings left mapped", id, q.index, e.getMessage());
                return;
            }
            LaneThread t = q.laneThread;
            if (t != null && lanes.mode() == ThreadingMode.DEDICATED && t.alive()) {
                LOG.log(Level.ERROR, "{0}/{1}: thread did not stop within {2} ms; rings left mapped", id, q.index,
                        LaneThread.JOIN_MS);
                return;
            }
        }
        StringBuilder summary = new StringBuilder();
        for (VifQueue q : queues) {
            q.release();
            summary.append(summary.length() == 0 ? "" : "; ").append(q.summary());
        }
        released = true;
        // one line an operator (and the rig's post-mortem) can read: where the vif's time went
        LOG.log(Level.INFO, id + ": closed; " + queues.length + " queue(s): " + summary);
    }

    /**
     * set-linkprop's maxbw: {@code true} sets the Tx credit unlimited (the lanes' maxbw buckets
     * limit instead), {@code false} gives it back the xenstore {@code rate}. Handed to every
     * queue's lane like a rate change.
     */
    void overrideCredit(boolean override) {
        for (VifQueue q : queues) {
            q.handRate(override ? RateLimit.UNLIMITED : rate);
        }
    }

    Clock clock() {
        return clock;
    }

    /** The vif's flows (add-flow on this VNIC). */
    public LinkFlows flows() {
        return flows;
    }

    /**
     * snoop: {@code capture} sees every frame both ways, on every queue, from now; false if another
     * snoop runs (then nothing was attached).
     */
    public synchronized boolean attachCapture(FrameCapture capture) {
        for (int q = 0; q < queues.length; q++) {
            if (!queues[q].gate().attach(capture)) {
                for (int undo = 0; undo < q; undo++) {
                    queues[undo].gate().detach(capture);
                }
                return false;
            }
        }
        return true;
    }

    /** Ends {@code capture}: once this returns a lane may still be inside one last call. */
    public synchronized void detachCapture(FrameCapture capture) {
        for (VifQueue q : queues) {
            q.gate().detach(capture);
        }
    }

    /** Queue 0's lane thread (null in INVOKER mode). */
    LaneThread laneThread() {
        return queues[0].laneThread;
    }

    /** Every queue's lane thread, queue order (entries null in INVOKER mode). */
    List<LaneThread> laneThreads() {
        List<LaneThread> out = new ArrayList<>();
        for (VifQueue q : queues) {
            out.add(q.laneThread);
        }
        return out;
    }

    /** Every queue's lane, queue order. */
    public List<Lane> lanes() {
        List<Lane> out = new ArrayList<>();
        for (VifQueue q : queues) {
            out.add(q.lane);
        }
        return out;
    }

    ThreadingMode threadingMode() {
        return lanes.mode();
    }

    /** The link properties set on this vif (set-linkprop), and its Tx filters' drops. */
    public VifLinkProperties properties() {
        return properties;
    }

    /** What the toolstack wrote for this vif (mac, bridge, rate at connect). */
    public VifConfig config() {
        return config;
    }

    public VifId id() {
        return id;
    }

    public int domid() {
        return domid;
    }

    public AttachMode mode() {
        return mode;
    }

    /** The current {@code rate} (each queue's Tx credit, as Linux's per-queue credit). */
    public RateLimit rate() {
        return rate;
    }

    /** How many queues the guest asked for (and has). */
    public int queueCount() {
        return queues.length;
    }

    /** The queue selector steering frames to the queues (the control ring's settings). */
    public QueueSelector selector() {
        return selector;
    }

    /** The control ring served for this vif, or null when the guest has none. */
    public CtrlRing ctrl() {
        return queues[0].ctrl();
    }

    /** Queue {@code q}'s Tx engine (its counters are plain fields: read them after traffic settles). */
    public TxEngine tx(int q) {
        return queues[q].tx();
    }

    public RxEngine rx(int q) {
        return queues[q].rx();
    }

    /** Queue {@code q}'s lane: its mode, counters ({@link Lane#counters()}) and doorbell. */
    public Lane lane(int q) {
        return queues[q].lane;
    }

    /** The thread running queue {@code q}'s lane (shared with other lanes in SHARED mode; null in INVOKER). */
    public Thread thread(int q) {
        LaneThread t = queues[q].laneThread;
        return t == null ? null : t.thread();
    }

    /** Queue 0's lane thread (for a single-queue vif, the vif's). */
    public Thread thread() {
        return thread(0);
    }

    /** Queue 0's lane (for a single-queue vif, the vif's). */
    public Lane lane() {
        return lane(0);
    }

    /** Batches that followed a block (a notification or a timeout), plus the first, over every queue. */
    public long wakeups() {
        long n = 0;
        for (VifQueue q : queues) {
            n += q.wakeups();
        }
        return n;
    }

    public long eventsHandled() {
        long n = 0;
        for (VifQueue q : queues) {
            n += q.eventsHandled();
        }
        return n;
    }

    /** Event-channel ports this vif has bound: per queue 2 with split channels, else 1; plus the control port. */
    public int boundPortCount() {
        int n = 0;
        for (VifQueue q : queues) {
            n += q.boundPortCount();
        }
        return n;
    }

    /** Events whose port had no new work (XSA-332 accounting), over every queue. */
    public long spuriousEvents() {
        long n = 0;
        for (VifQueue q : queues) {
            n += q.spuriousEvents();
        }
        return n;
    }

    /** Unmasks held back after repeated spurious events, over every queue. */
    public long deferredUnmasks() {
        long n = 0;
        for (VifQueue q : queues) {
            n += q.deferredUnmasks();
        }
        return n;
    }

    /** Whether {@link #close()} has finished: ports unbound, rings unmapped, handles closed. */
    public boolean released() {
        return released;
    }

    /** Whether a fatal guest error (or a failure) disabled this vif. */
    public boolean disabled() {
        return disabled;
    }

    public FatalGuestError fatalError() {
        return fatal;
    }

    /** Queue 0's engines (a single-queue vif's; their counters are plain fields). */
    public TxEngine tx() {
        return tx(0);
    }

    public RxEngine rx() {
        return rx(0);
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
