package org.xnb.netback.vif;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicReference;
import org.xnb.grant.EventChannel;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.Hypervisor;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.netback.Clock;
import org.xnb.netback.EventChannelNotifier;
import org.xnb.netback.FatalGuestError;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.MulticastList;
import org.xnb.netback.QueueListener;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.netback.port.MacAddress;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.rx.RxCounters;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.tx.TxCounters;
import org.xnb.netback.tx.TxCredit;
import org.xnb.netback.tx.TxEngine;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.FrontendRings;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifConnection;
import org.xnb.netback.xenbus.VifId;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.LaneWork;
import org.xnb.vnic.lane.ThreadingMode;

/**
 * One connected vif (one queue): its own grant-table and event-channel handles, the guest's Tx and
 * Rx rings mapped writable, its port(s) bound, a Tx and an Rx engine, a link to the {@link Port},
 * and a vnic lane ({@link LaneScheduler}) named after the vif running both engines.
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
 * <p>A fatal guest error (either engine) disables only this vif: it detaches from the port, stops
 * the Rx engine, drops what was queued, logs one line, and its lane leaves the scheduler (with
 * DEDICATED threads its thread ends); the rings, ports and handles stay until {@link #close()},
 * which the xenbus side calls when the device goes.
 */
public final class Vif implements VifConnection {
    /** Poll timeout while frames wait for guest Rx buffers. */
    static final long QUEUED_POLL_NS = 100_000_000L;
    private static final Logger LOG = System.getLogger(Vif.class.getName());

    private final VifId id;
    private final int domid;
    private final AttachMode mode;
    private final GrantTable grants;
    private final EventChannel events;
    private final GrantMapping txMapping;
    private final GrantMapping rxMapping;
    private final int txPort;
    private final int rxPort;
    private final TxEngine tx;
    private final RxEngine rx;
    private final PortLink link;
    /** Between the Tx engine and the port: link protection and the mtu (set-linkprop). */
    private final TxFilter txFilter;
    /** The vif's flows and snoop, on both directions (flowadm, snoop). */
    private final VifFrameGate gate;
    private final VifConfig config;
    private final VifLinkProperties properties;
    private final RateHook rateHook;
    private final Clock clock;
    private final BackRing txRing;
    private final BackRing rxRing;
    private final LaneScheduler lanes;
    private final Work work = new Work();
    /**
     * On the real clock ({@link System#nanoTime()}), not the injected one: a storm delay must end
     * in real time even when a test's clock stands still.
     */
    private final SpuriousEventGuard guard = new SpuriousEventGuard();
    /** A rate change from the xenbus thread, applied by the lane (TxCredit is single-threaded). */
    private final AtomicReference<RateLimit> pendingRate = new AtomicReference<>();

    private volatile Lane lane;
    private volatile LaneThread laneThread;
    private volatile FatalGuestError fatal;
    private volatile boolean disabled;
    private volatile RateLimit rate;
    private volatile long wakeups;
    private volatile long eventsHandled;
    private boolean closed;
    /** Set once {@link #close()} has released everything (tests wait for it). */
    private volatile boolean released;

    /** What the Rx side receives from the port: queue the frame, then ring the lane's doorbell. */
    private final FrameSink receiver = new FrameSink() {
        @Override
        public void onFrame(long address, int length, FrameMetadata metadata) {
            if (rx.offer(address, length, metadata)) {
                Lane l = lane;
                if (l != null) { // null only before the lane opened: its first batch sees the frame
                    l.doorbell().ring();
                }
            }
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

    /** Maps, binds and opens the lane; on failure releases what it took and rethrows. */
    static Vif open(Hypervisor hypervisor, Port port, Clock clock, RateHook rateHook, LaneScheduler lanes, VifId id,
            int frontendDomid, FrontendRings rings, VifFeatures features, VifConfig config, AttachMode mode) {
        Resources r = new Resources(hypervisor);
        Vif vif = null;
        try {
            int page = SharedRingDescriptor.PAGE_BYTES;
            r.txMapping = r.grants.map(frontendDomid, new int[] {rings.txRingRef()}, 1, true);
            r.rxMapping = r.grants.map(frontendDomid, new int[] {rings.rxRingRef()}, 1, true);
            BackRing txRing;
            BackRing rxRing;
            if (mode == AttachMode.RESUME_LIVE) {
                txRing = BackRing.attachLive(r.txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
                rxRing = BackRing.attachLive(r.rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
            } else {
                txRing = BackRing.init(r.txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
                rxRing = BackRing.init(r.rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
            }
            r.txPort = r.events.bindInterdomain(frontendDomid, rings.txEventChannel());
            r.rxPort = rings.splitEventChannels() ? r.events.bindInterdomain(frontendDomid, rings.rxEventChannel())
                    : r.txPort;
            vif = new Vif(id, frontendDomid, mode, r, txRing, rxRing, features, config, port, clock, rateHook, lanes);
            Lane l = lanes.open(id.toString(), queueIndex(id), vif.work, LanePriority.MEDIUM, 0);
            vif.laneThread = lanes.threadOf(l);
            return vif;
        } catch (RuntimeException | Error e) {
            if (vif != null) {
                vif.link.close();
            }
            r.release();
            throw e;
        }
    }

    /** The lane number within the link: the netfront queue (one queue per vif for now). */
    private static int queueIndex(VifId id) {
        return 0;
    }

    private Vif(VifId id, int domid, AttachMode mode, Resources r, BackRing txRing, BackRing rxRing,
            VifFeatures features, VifConfig config, Port port, Clock clock, RateHook rateHook, LaneScheduler lanes) {
        this.id = id;
        this.domid = domid;
        this.mode = mode;
        this.grants = r.grants;
        this.events = r.events;
        this.txMapping = r.txMapping;
        this.rxMapping = r.rxMapping;
        this.txPort = r.txPort;
        this.rxPort = r.rxPort;
        this.rate = config.rate();
        this.rateHook = rateHook;
        this.clock = clock;
        this.txRing = txRing;
        this.rxRing = rxRing;
        this.lanes = lanes;
        MulticastList multicast = new MulticastList();
        this.rx = new RxEngine(rxRing, grants, domid, 0, new EventChannelNotifier(events, rxPort), features,
                multicast, clock, listener);
        this.link = port.attach(id.toString(), MacAddress.parse(config.mac()), receiver);
        this.config = config;
        this.gate = new VifFrameGate(new LinkFlows(id.toString()));
        this.txFilter = new TxFilter(gate.outboundTo(link));
        rx.admission(gate);
        this.properties = new VifLinkProperties(this, txFilter, config.mac());
        TxCredit credit = new TxCredit(clock);
        credit.start(rate.creditBytes(), rate.creditUsec()); // xenbus.c connect(): UNLIMITED is ~0, 0
        this.tx = new TxEngine(txRing, grants, domid, 0, new EventChannelNotifier(events, txPort), txFilter, multicast,
                listener, credit);
    }

    /** The vif's data path as a lane's work; every method runs on the lane's thread. */
    private final class Work implements LaneWork {
        private LaneCounters counters;
        /** A freshly bound port is pending once: look at the events in the first batch. */
        private boolean first = true;
        /** Armed and told the lane to block: the next batch follows a wake-up. */
        private boolean sleeping;
        /** A batch did work since the lane last blocked: events pending now had their work taken. */
        private boolean worked;
        private long drops;

        @Override
        public void onOpen(Lane opened) {
            counters = opened.counters();
            lane = opened;
        }

        @Override
        public int doWork() {
            if (disabled) {
                return 0;
            }
            try {
                return batch();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, id + ": data path failed, vif disabled: " + e, e);
                disable();
                return 0;
            }
        }

        private int batch() {
            if (sleeping || first) {
                sleeping = false;
                wakeups++;
            }
            applyRateChange();
            if (unmaskDue() | first) { // an unmask with the event pending re-delivers it now
                first = false;
                drainEvents(false);
            }
            TxCounters tc = tx.counters();
            RxCounters rc = rx.counters();
            long txPackets = tc.packets;
            long txBytes = tc.bytes;
            long rxPackets = rc.packets;
            long rxBytes = rc.bytes;
            int released = gate.releaseDeferred(); // a flow's frames whose maxbw lets them go now
            tx.doWork();
            rx.doWork();
            int in = (int) (tc.packets - txPackets);
            int out = (int) (rc.packets - rxPackets);
            counters.in(in, tc.bytes - txBytes);
            counters.out(out, rc.bytes - rxBytes);
            int n = in + out + released;
            long d = tc.dropped() + rxDrops(rc) + txFilter.drops() + gate.flows().drops()
                    - rc.droppedAdmission; // the flows count their Rx drops too
            if (d != drops) {
                n += (int) (d - drops);
                counters.drop((int) (d - drops));
                drops = d;
            }
            if (fatal != null) {
                disable();
                return 0;
            }
            worked |= n > 0;
            return n;
        }

        @Override
        public boolean armNotifications() {
            if (disabled) {
                drainEvents(true); // read, never unmask: a disabled vif hears nothing more
                sleeping = true;
                return false;
            }
            // events delivered while the lane ran (in a busy batch run or in poll mode the ports
            // stay masked) found their work taken already: not spurious, unless nothing was done
            drainEvents(false, worked);
            worked = false;
            // RING_FINAL_CHECK_FOR_REQUESTS (TxEngine did it too; this closes the race with the
            // block); a credit-blocked queue is not re-armed, its refill wakes the lane instead
            if (!tx.stopped() && !tx.credit().rateLimited() && txRing.finalCheckForRequests()) {
                return true;
            }
            sleeping = true;
            return false;
        }

        @Override
        public void suppressNotifications() {
            // nothing: a delivered port stays masked until armNotifications takes it, and the
            // engines re-arming req_event costs at most one event per port per poll period
        }

        @Override
        public int wakeFd() {
            return events.fd();
        }

        @Override
        public void onWake() {
            drainEvents(disabled);
        }

        @Override
        public long wakeTimeoutNs() {
            if (disabled) {
                return NO_TIMEOUT;
            }
            long timeout = rx.queuedFrames() > 0 ? QUEUED_POLL_NS : NO_TIMEOUT;
            long retryAt = tx.credit().retryAtNanos();
            if (retryAt != TxCredit.NOT_LIMITED) {
                timeout = earliest(timeout, Math.max(0, retryAt - clock.nanoTime()));
            }
            long releaseAt = gate.nextReleaseNs();
            if (releaseAt >= 0) {
                timeout = earliest(timeout, Math.max(0, releaseAt - System.nanoTime()));
            }
            return earliest(timeout, guard.nanosUntilNext(System.nanoTime()));
        }
    }

    /** Frames the Rx side dropped (other vifs' threads write the enqueue-time ones: diagnostics). */
    private static long rxDrops(RxCounters rc) {
        return rc.droppedQueueFull + rc.droppedCarrierOff + rc.droppedOversize + rc.droppedGsoUnsupported
                + rc.droppedMulticastFilter + rc.droppedInvalid + rc.droppedExpired + rc.droppedPurged
                + rc.droppedAdmission;
    }

    private void drainEvents(boolean readOnly) {
        drainEvents(readOnly, false);
    }

    /**
     * Takes every pending port (at most our two, plus stale deliveries) and unmasks it, unless the
     * event was spurious again or the Tx queue waits for credit (then it is unmasked later).
     * {@code readOnly}: take them and unmask nothing (a disabled vif); {@code polled}: the events
     * came while the lane polled, which took their work, so none counts as spurious.
     */
    private void drainEvents(boolean readOnly, boolean polled) {
        for (int i = 0; i < 8; i++) {
            int p = events.waitPending(0);
            if (p < 0) {
                return;
            }
            eventsHandled++;
            if (readOnly) {
                continue;
            }
            if (p != txPort && p != rxPort) {
                events.unmask(p); // a stale delivery of a port no longer ours
                continue;
            }
            int slot = p == txPort ? SpuriousEventGuard.TX : SpuriousEventGuard.RX;
            boolean txEvent = p == txPort;
            boolean rxEvent = p == rxPort;
            boolean txTaken = txEvent
                    && guard.consumedSinceLastEvent(SpuriousEventGuard.TX, txRing.requestConsumer());
            boolean rxTaken = rxEvent
                    && guard.consumedSinceLastEvent(SpuriousEventGuard.RX, rxRing.requestConsumer());
            boolean rxWork = rxEvent && (rxTaken || rxHasWork());
            if (txEvent && tx.credit().rateLimited() && !rxWork) {
                // xenvif_poll leaves the Tx EOI to the credit timer while rate_limited
                long wait = Math.max(0, tx.credit().retryAtNanos() - clock.nanoTime());
                guard.holdUntil(slot, System.nanoTime() + wait);
                continue;
            }
            boolean work = polled || rxWork || txEvent && (txTaken || txHasWork());
            if (guard.onEvent(slot, work, System.nanoTime())) {
                events.unmask(p); // an event after this re-fires; the engines run after it anyway
            }
        }
    }

    /** RING_HAS_UNCONSUMED_REQUESTS on the Tx ring (a garbage req_prod counts: the engine judges it). */
    private boolean txHasWork() {
        return !tx.stopped() && txRing.requestProducer() != txRing.requestConsumer();
    }

    /** xenvif_have_rx_work, loosely: frames wait for buffers and the guest posted some. */
    private boolean rxHasWork() {
        return rx.queuedFrames() > 0 && rxRing.requestProducer() != rxRing.requestConsumer();
    }

    /** Unmasks the ports whose held unmask fell due; whether there were any. */
    private boolean unmaskDue() {
        long now = System.nanoTime(); // held unmasks are real time, whatever clock the engines use
        boolean any = false;
        for (int s; (s = guard.takeDue(now)) >= 0;) {
            events.unmask(s == SpuriousEventGuard.TX ? txPort : rxPort);
            any = true;
        }
        return any;
    }

    /** On the vif thread: a rate the xenbus side handed over takes effect now (xen_net_rate_changed). */
    private void applyRateChange() {
        RateLimit r = pendingRate.getAndSet(null);
        if (r != null) {
            tx.credit().setRate(r.creditBytes(), r.creditUsec());
            // a Tx port held for the old rate's refill: unmask now, so kicks are seen again
            guard.dueNow(SpuriousEventGuard.TX, System.nanoTime());
        }
    }

    private static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * On the lane's thread after a fatal error: nothing reaches or leaves the guest any more, and
     * the lane leaves the scheduler (from another thread: a lane thread cannot join itself).
     */
    private void disable() {
        if (disabled) {
            return;
        }
        disabled = true;
        link.close();
        rx.stop();
        rx.doWork(); // purge: frees the queued frames
        FatalGuestError f = fatal;
        LOG.log(Level.WARNING, "{0}: disabled ({1}); other vifs keep running", id,
                f != null ? "fatal guest error: " + f.rule() : "data path failure");
        Lane l = lane;
        Thread closer = new Thread(() -> lanes.close(l), id + "-disable");
        closer.setDaemon(true);
        closer.start();
    }

    /** From the xenbus thread: recorded, handed to the lane, which applies it at once. */
    @Override
    public void rateChanged(RateLimit newRate) {
        this.rate = newRate;
        if (!properties.maxbwOverrides(newRate)) {
            pendingRate.set(newRate);
            lane.doorbell().ring();
        }
        rateHook.rateChanged(id, newRate);
    }

    /**
     * Takes the lane out of service (bounded: the scheduler waits {@link LaneThread#JOIN_MS} for the
     * thread), detaches from the port, drops queued frames, unbinds the ports, unmaps the rings and
     * closes the handles. If the lane's thread does not stop in time the rings stay mapped
     * (unmapping under a running engine would fault) and an error is logged.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        link.close(); // no new frames from other vifs; deliveries under way have finished
        try {
            lanes.close(lane);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "{0}: lane did not stop ({1}); rings left mapped", id, e.getMessage());
            return;
        }
        LaneThread t = laneThread;
        if (t != null && lanes.mode() == ThreadingMode.DEDICATED && t.alive()) {
            LOG.log(Level.ERROR, "{0}: thread did not stop within {1} ms; rings left mapped", id, LaneThread.JOIN_MS);
            return;
        }
        rx.stop();
        rx.doWork(); // the lane is out of service: this thread is the only consumer now
        Resources r = new Resources(grants, events);
        r.txMapping = txMapping;
        r.rxMapping = rxMapping;
        r.txPort = txPort;
        r.rxPort = rxPort;
        r.release();
        released = true;
        // one line an operator (and the rig's post-mortem) can read: where the vif's time went
        TxCounters tc = tx.counters();
        RxCounters rc = rx.counters();
        LOG.log(Level.INFO, id + ": closed; tx " + tc.packets + " pkts " + tc.bytes + " B, tx rule drops "
                + tc.dropped() + ", rx " + rc.packets + " pkts " + rc.bytes + " B, rx drops " + rxDrops(rc)
                + ", wake-ups " + wakeups + ", events " + eventsHandled
                + " (spurious " + guard.spuriousEvents() + ", held unmasks " + guard.deferredUnmasks()
                + "), credit waits " + tx.credit().limitedCount() + ", rx stalls " + rc.stalls);
    }

    /**
     * set-linkprop's maxbw: {@code true} sets the Tx credit unlimited (the lane's maxbw bucket
     * limits instead), {@code false} gives it back the xenstore {@code rate}. Handed to the lane
     * like a rate change.
     */
    void overrideCredit(boolean override) {
        pendingRate.set(override ? RateLimit.UNLIMITED : rate);
        Lane l = lane;
        if (l != null) {
            l.doorbell().ring();
        }
    }

    /** The lane's thread (null in INVOKER mode). */
    LaneThread laneThread() {
        return laneThread;
    }

    ThreadingMode threadingMode() {
        return lanes.mode();
    }

    /** The link properties set on this vif (set-linkprop), and its Tx filter's drops. */
    public VifLinkProperties properties() {
        return properties;
    }

    /** The vif's flows (add-flow on this VNIC). */
    public LinkFlows flows() {
        return gate.flows();
    }

    /** snoop: {@code capture} sees every frame both ways from now; false if another snoop runs. */
    public boolean attachCapture(FrameCapture capture) {
        return gate.attach(capture);
    }

    /** Ends {@code capture}: once this returns the lane may still be inside one last call. */
    public void detachCapture(FrameCapture capture) {
        gate.detach(capture);
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

    /** The current {@code rate} (the credit scheduler will read it). */
    public RateLimit rate() {
        return rate;
    }

    /** The thread running the vif's lane (shared with other lanes in SHARED mode; null in INVOKER). */
    public Thread thread() {
        LaneThread t = laneThread;
        return t == null ? null : t.thread();
    }

    /** The vif's lane: its mode, counters ({@link Lane#counters()}) and doorbell. */
    public Lane lane() {
        return lane;
    }

    /** Batches that followed a block (a notification or a timeout), plus the first. */
    public long wakeups() {
        return wakeups;
    }

    public long eventsHandled() {
        return eventsHandled;
    }

    /** Event-channel ports this vif has bound: 2 with split channels, else 1. */
    public int boundPortCount() {
        return rxPort == txPort ? 1 : 2;
    }

    /** Events whose port had no new work (XSA-332 accounting). */
    public long spuriousEvents() {
        return guard.spuriousEvents();
    }

    /** Unmasks held back after repeated spurious events. */
    public long deferredUnmasks() {
        return guard.deferredUnmasks();
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

    /** The engines (their counters are plain fields: read them after the traffic settles). */
    public TxEngine tx() {
        return tx;
    }

    public RxEngine rx() {
        return rx;
    }

    @Override
    public String toString() {
        return id.toString();
    }

    /** What a vif holds, released in reverse order whatever was reached. */
    private static final class Resources {
        final GrantTable grants;
        final EventChannel events;
        GrantMapping txMapping;
        GrantMapping rxMapping;
        int txPort = -1;
        int rxPort = -1;

        Resources(Hypervisor hypervisor) {
            GrantTable g = hypervisor.openGrantTable();
            try {
                this.events = hypervisor.openEventChannel();
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
            this.grants = g;
        }

        Resources(GrantTable grants, EventChannel events) {
            this.grants = grants;
            this.events = events;
        }

        void release() {
            if (rxPort >= 0 && rxPort != txPort) {
                events.unbind(rxPort);
            }
            if (txPort >= 0) {
                events.unbind(txPort);
            }
            events.close();
            if (rxMapping != null) {
                grants.unmap(rxMapping);
            }
            if (txMapping != null) {
                grants.unmap(txMapping);
            }
            grants.close();
        }
    }
}
