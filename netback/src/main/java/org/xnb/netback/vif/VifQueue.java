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
import org.xnb.netback.EventChannelNotifier;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.MulticastList;
import org.xnb.netback.QueueListener;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.ctrl.CtrlRing;
import org.xnb.netback.hash.QueueSelector;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.rx.RxCounters;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.tx.TxCounters;
import org.xnb.netback.tx.TxCredit;
import org.xnb.netback.tx.TxEngine;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.FrontendCtrlRing;
import org.xnb.netback.xenbus.FrontendRings;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.LaneWork;

/**
 * One netfront queue of a {@link Vif} (Linux's {@code struct xenvif_queue}): its own grant-table
 * and event-channel handles, its Tx and Rx rings mapped, its port(s) bound, a Tx and an Rx engine,
 * its Tx filter, its XSA-332 guard and its lane ({@code <vif>/<queue>} in the counters file).
 * Nothing here is shared with another queue: each lane thread touches only its own queue, and
 * the Rx side is reached from other threads only through {@link #offer} (the Rx engine's
 * multi-producer gate and the lane's doorbell).
 *
 * <p>Queue 0 may also serve the vif's control ring ({@link #attachControlRing}): its requests
 * are rare (a guest sets its hash a few times, at start-up), so a thread of their own would cost
 * more than it gives; queue 0's lane already owns a grant handle (a {@code GrantTable} handle
 * is single-threaded, and the control ring grant-copies keys and tables) and a wake fd, and the
 * settings it produces reach every queue's producers through one volatile snapshot
 * ({@link QueueSelector}). The control port has its own XSA-332 guard, so a guest hammering it
 * costs queue 0 about one wake-up per delay, as for the data ports.
 */
final class VifQueue {
    private static final Logger LOG = System.getLogger(VifQueue.class.getName());

    private final Vif vif;
    final int index;
    private final GrantTable grants;
    private final EventChannel events;
    private final GrantMapping txMapping;
    private final GrantMapping rxMapping;
    private final int txPort;
    private final int rxPort;
    private final BackRing txRing;
    private final BackRing rxRing;
    private TxEngine tx;
    private RxEngine rx;
    /** Between this queue's Tx engine and the vif's port: link protection and the mtu. */
    private TxFilter txFilter;
    /** The vif's flows and snoop on this queue's frames, both ways (after the Tx filter; Rx admission). */
    private VifFrameGate gate;
    /** Real time ({@link System#nanoTime()}): a storm delay must end even when a test's clock stands still. */
    private final SpuriousEventGuard guard = new SpuriousEventGuard();
    /** A rate change from the xenbus thread, applied by the lane (TxCredit is single-threaded). */
    private final AtomicReference<RateLimit> pendingRate = new AtomicReference<>();
    final Work work = new Work();

    // the control ring (queue 0 only; null / -1 without one)
    private GrantMapping ctrlMapping;
    private int ctrlPort = -1;
    private BackRing ctrlBackRing;
    private CtrlRing ctrl;
    private final SpuriousEventGuard ctrlGuard = new SpuriousEventGuard();

    volatile Lane lane;
    volatile LaneThread laneThread;
    private volatile long wakeups;
    private volatile long eventsHandled;
    /** This queue's lane saw the vif disabled and stopped its Rx side. */
    private boolean stoppedForDisable;

    /**
     * Maps the queue's rings and binds its port(s) with handles of its own; on failure releases
     * what it took and rethrows.
     */
    static VifQueue map(Vif vif, int index, Hypervisor hypervisor, int domid, FrontendRings rings, AttachMode mode) {
        GrantTable grants = hypervisor.openGrantTable();
        EventChannel events;
        try {
            events = hypervisor.openEventChannel();
        } catch (RuntimeException | Error e) {
            grants.close();
            throw e;
        }
        GrantMapping txMapping = null;
        GrantMapping rxMapping = null;
        int txPort = -1;
        int rxPort = -1;
        try {
            int page = SharedRingDescriptor.PAGE_BYTES;
            txMapping = grants.map(domid, new int[] {rings.txRingRef()}, 1, true);
            rxMapping = grants.map(domid, new int[] {rings.rxRingRef()}, 1, true);
            BackRing txRing;
            BackRing rxRing;
            if (mode == AttachMode.RESUME_LIVE) {
                txRing = BackRing.attachLive(txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
                rxRing = BackRing.attachLive(rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
            } else {
                txRing = BackRing.init(txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
                rxRing = BackRing.init(rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
            }
            txPort = events.bindInterdomain(domid, rings.txEventChannel());
            rxPort = rings.splitEventChannels() ? events.bindInterdomain(domid, rings.rxEventChannel()) : txPort;
            return new VifQueue(vif, index, grants, events, txMapping, rxMapping, txPort, rxPort, txRing, rxRing);
        } catch (RuntimeException | Error e) {
            release(grants, events, txMapping, rxMapping, txPort, rxPort, null, -1);
            throw e;
        }
    }

    private VifQueue(Vif vif, int index, GrantTable grants, EventChannel events, GrantMapping txMapping,
            GrantMapping rxMapping, int txPort, int rxPort, BackRing txRing, BackRing rxRing) {
        this.vif = vif;
        this.index = index;
        this.grants = grants;
        this.events = events;
        this.txMapping = txMapping;
        this.rxMapping = rxMapping;
        this.txPort = txPort;
        this.rxPort = rxPort;
        this.txRing = txRing;
        this.rxRing = rxRing;
    }

    /**
     * Builds the Rx engine (xenbus thread, before the vif attaches to its port: a frame may reach
     * {@link #offer} as soon as it is attached, from another vif's lane).
     */
    void startRx(int domid, VifFeatures features, MulticastList multicast, QueueListener listener,
            VifFrameGate gate) {
        this.gate = gate;
        this.rx = new RxEngine(rxRing, grants, domid, index, new EventChannelNotifier(events, rxPort), features,
                multicast, vif.clock(), listener);
        rx.admission(gate);
    }

    /** Builds the Tx side once the vif has its port link (xenbus thread, before the lane opens). */
    void startTx(int domid, MulticastList multicast, PortLink link, RateLimit rate, QueueListener listener) {
        this.txFilter = new TxFilter(gate.outboundTo(link));
        TxCredit credit = new TxCredit(vif.clock());
        // xenbus.c connect(): each queue gets the whole credit (UNLIMITED is ~0, 0)
        credit.start(rate.creditBytes(), rate.creditUsec());
        this.tx = new TxEngine(txRing, grants, domid, index, new EventChannelNotifier(events, txPort), txFilter,
                multicast, listener, credit);
    }

    /**
     * Linux's {@code xenvif_connect_ctrl()} on this queue's handles: maps the control ring,
     * binds its port, serves it from this queue's lane. On failure nothing of it is left.
     */
    void attachControlRing(int domid, FrontendCtrlRing offer, AttachMode mode, QueueSelector selector,
            QueueListener listener) {
        GrantMapping m = grants.map(domid, new int[] {offer.ringRef()}, 1, true);
        int port = -1;
        try {
            int page = SharedRingDescriptor.PAGE_BYTES;
            BackRing ring = mode == AttachMode.RESUME_LIVE ? BackRing.attachLive(m.buffer(), 0, page, Netif.CTRL_SLOT_BYTES)
                    : BackRing.init(m.buffer(), 0, page, Netif.CTRL_SLOT_BYTES);
            port = events.bindInterdomain(domid, offer.eventChannel());
            ctrl = new CtrlRing(ring, grants, domid, new EventChannelNotifier(events, port), selector, listener);
            ctrlBackRing = ring;
            ctrlMapping = m;
            ctrlPort = port;
        } catch (RuntimeException | Error e) {
            if (port >= 0) {
                events.unbind(port);
            }
            grants.unmap(m);
            throw e;
        }
    }

    /** Any thread (another vif's lane, the TAP port): queue the frame and ring the lane's doorbell. */
    void offer(long address, int length, FrameMetadata metadata, long guestHash) {
        if (rx.offer(address, length, metadata, guestHash)) {
            Lane l = lane;
            if (l != null) { // null only before the lane opened: its first batch sees the frame
                l.doorbell().ring();
            }
        }
    }

    /** The queue's data path as a lane's work; every method runs on the lane's thread. */
    final class Work implements LaneWork {
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
            if (vif.disabled()) {
                stopForDisable();
                return 0;
            }
            try {
                return batch();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, vif + "/" + index + ": data path failed, vif disabled: " + e, e);
                vif.disable(null);
                return 0;
            }
        }

        private int batch() {
            if (sleeping || first) {
                sleeping = false;
                wakeups++;
            }
            applyRateChange();
            int released = gate.releaseDeferred(); // a flow's frames whose maxbw lets them go now
            if (unmaskDue() | first) { // an unmask with the event pending re-delivers it now
                first = false;
                drainEvents(false, false);
            }
            TxCounters tc = tx.counters();
            RxCounters rc = rx.counters();
            long txPackets = tc.packets;
            long txBytes = tc.bytes;
            long rxPackets = rc.packets;
            long rxBytes = rc.bytes;
            tx.doWork();
            rx.doWork();
            if (ctrl != null) {
                ctrl.doWork();
            }
            int in = (int) (tc.packets - txPackets);
            int out = (int) (rc.packets - rxPackets);
            counters.in(in, tc.bytes - txBytes);
            counters.out(out, rc.bytes - rxBytes);
            int n = in + out + released;
            // the flows count their drops (Rx admission refusals too) once per vif: on queue 0's lane
            long d = tc.dropped() + rxDrops(rc) - rc.droppedAdmission + txFilter.drops()
                    + (index == 0 ? gate.flows().drops() : 0);
            if (d != drops) {
                n += (int) (d - drops);
                counters.drop((int) (d - drops));
                drops = d;
            }
            if (vif.fatalError() != null) {
                vif.disable(VifQueue.this);
                return 0;
            }
            worked |= n > 0;
            return n;
        }

        @Override
        public boolean armNotifications() {
            if (vif.disabled()) {
                stopForDisable();
                drainEvents(true, false); // read, never unmask: a disabled vif hears nothing more
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
            if (ctrl != null && !ctrl.stopped() && ctrl.finalCheckForRequests()) {
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
            drainEvents(vif.disabled(), false);
        }

        @Override
        public long wakeTimeoutNs() {
            if (vif.disabled()) {
                return NO_TIMEOUT;
            }
            long timeout = rx.queuedFrames() > 0 ? Vif.QUEUED_POLL_NS : NO_TIMEOUT;
            long retryAt = tx.credit().retryAtNanos();
            if (retryAt != TxCredit.NOT_LIMITED) {
                timeout = earliest(timeout, Math.max(0, retryAt - vif.clock().nanoTime()));
            }
            long now = System.nanoTime();
            long releaseAt = gate.nextReleaseNs();
            if (releaseAt >= 0) {
                timeout = earliest(timeout, Math.max(0, releaseAt - now));
            }
            timeout = earliest(timeout, guard.nanosUntilNext(now));
            return ctrl == null ? timeout : earliest(timeout, ctrlGuard.nanosUntilNext(now));
        }
    }

    /** On this queue's lane, once the vif is disabled: nothing more reaches the guest from here. */
    private void stopForDisable() {
        if (!stoppedForDisable) {
            stoppedForDisable = true;
            rx.stop();
            rx.doWork(); // purge: frees the queued frames
        }
    }

    /** Frames the Rx side dropped (other vifs' threads write the enqueue-time ones: diagnostics). */
    static long rxDrops(RxCounters rc) {
        return rc.droppedQueueFull + rc.droppedCarrierOff + rc.droppedOversize + rc.droppedGsoUnsupported
                + rc.droppedMulticastFilter + rc.droppedInvalid + rc.droppedExpired + rc.droppedPurged
                + rc.droppedAdmission;
    }

    /**
     * Takes every pending port (at most our two and the control port, plus stale deliveries) and
     * unmasks it, unless the event was spurious again or the Tx queue waits for credit (then it
     * is unmasked later). {@code readOnly}: take them and unmask nothing (a disabled vif);
     * {@code polled}: the events came while the lane polled, which took their work, so none
     * counts as spurious.
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
            if (p == ctrlPort && ctrl != null) {
                boolean work = polled || ctrlGuard.consumedSinceLastEvent(SpuriousEventGuard.TX,
                        ctrlBackRing.requestConsumer())
                        || ctrlBackRing.requestProducer() != ctrlBackRing.requestConsumer();
                if (ctrlGuard.onEvent(SpuriousEventGuard.TX, work, System.nanoTime())) {
                    events.unmask(p);
                }
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
                long wait = Math.max(0, tx.credit().retryAtNanos() - vif.clock().nanoTime());
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
        if (ctrl != null) {
            for (int s; (s = ctrlGuard.takeDue(now)) >= 0;) {
                events.unmask(ctrlPort);
                any = true;
            }
        }
        return any;
    }

    /** On the lane: a rate the xenbus side handed over takes effect now (xen_net_rate_changed). */
    private void applyRateChange() {
        RateLimit r = pendingRate.getAndSet(null);
        if (r != null) {
            tx.credit().setRate(r.creditBytes(), r.creditUsec());
            // a Tx port held for the old rate's refill: unmask now, so kicks are seen again
            guard.dueNow(SpuriousEventGuard.TX, System.nanoTime());
        }
    }

    /** Any thread: hand a rate (or the maxbw override) to the lane, which applies it at once. */
    void handRate(RateLimit r) {
        pendingRate.set(r);
        Lane l = lane;
        if (l != null) {
            l.doorbell().ring();
        }
    }

    private static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** After the lane is out of service (close): purge the Rx queue, unbind, unmap, close the handles. */
    void release() {
        rx.stop();
        rx.doWork(); // the lane is out of service: this thread is the only consumer now
        release(grants, events, txMapping, rxMapping, txPort, rxPort, ctrlMapping, ctrlPort);
    }

    /** Releases the resources of a queue that never got engines (a failed open). */
    void releaseUnstarted() {
        release(grants, events, txMapping, rxMapping, txPort, rxPort, ctrlMapping, ctrlPort);
    }

    private static void release(GrantTable grants, EventChannel events, GrantMapping txMapping,
            GrantMapping rxMapping, int txPort, int rxPort, GrantMapping ctrlMapping, int ctrlPort) {
        if (ctrlPort >= 0) {
            events.unbind(ctrlPort);
        }
        if (rxPort >= 0 && rxPort != txPort) {
            events.unbind(rxPort);
        }
        if (txPort >= 0) {
            events.unbind(txPort);
        }
        events.close();
        if (ctrlMapping != null) {
            grants.unmap(ctrlMapping);
        }
        if (rxMapping != null) {
            grants.unmap(rxMapping);
        }
        if (txMapping != null) {
            grants.unmap(txMapping);
        }
        grants.close();
    }

    /** One line of the vif's closing summary. */
    String summary() {
        TxCounters tc = tx.counters();
        RxCounters rc = rx.counters();
        return "q" + index + ": tx " + tc.packets + " pkts " + tc.bytes + " B, tx rule drops " + tc.dropped() + ", rx "
                + rc.packets + " pkts " + rc.bytes + " B, rx drops " + rxDrops(rc) + ", wake-ups " + wakeups
                + ", events " + eventsHandled + " (spurious " + guard.spuriousEvents() + ", held unmasks "
                + guard.deferredUnmasks() + "), credit waits " + tx.credit().limitedCount() + ", rx stalls "
                + rc.stalls + (ctrl == null ? "" : ", ctrl requests " + ctrl.counters().requests);
    }

    TxEngine tx() {
        return tx;
    }

    RxEngine rx() {
        return rx;
    }

    TxFilter txFilter() {
        return txFilter;
    }

    VifFrameGate gate() {
        return gate;
    }

    CtrlRing ctrl() {
        return ctrl;
    }

    long wakeups() {
        return wakeups;
    }

    long eventsHandled() {
        return eventsHandled;
    }

    int boundPortCount() {
        return (rxPort == txPort ? 1 : 2) + (ctrlPort >= 0 ? 1 : 0);
    }

    long spuriousEvents() {
        return guard.spuriousEvents() + ctrlGuard.spuriousEvents();
    }

    long deferredUnmasks() {
        return guard.deferredUnmasks() + ctrlGuard.deferredUnmasks();
    }
}
