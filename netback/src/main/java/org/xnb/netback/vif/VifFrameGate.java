package org.xnb.netback.vif;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.netback.rx.RxAdmission;

/**
 * Where a vif's frames pass its flows and a snoop, on the lane's thread: guest Tx frames between the
 * {@link TxFilter} and the port ({@link #outboundTo}; a flow over its maxbw defers them, the lane
 * sends them on in {@link #releaseDeferred}), frames for the guest as the Rx engine is about to copy
 * them ({@link RxAdmission}). One view buffer re-wrapped per frame, nothing allocated. The capture
 * is volatile: attached and detached from the admin thread; it sees a frame when it really goes.
 */
final class VifFrameGate implements RxAdmission {
    private final LinkFlows flows;
    /**
     * A multi-queue vif: one gate per queue around one {@link LinkFlows} (single-threaded: one
     * bucket per flow for the whole VNIC), so the queues' lanes take turns on this monitor around
     * it; null for a single-queue vif (no lock, as before). Taken only while the vif has flows
     * ({@link LinkFlows#engaged}): without flows no frame locks. A known cost of flows on a
     * multi-queue vif; per-queue {@code LinkFlows} with the admin fanning out would remove it.
     */
    private final Object lock;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private volatile FrameCapture capture;
    private FrameSink next;
    /** The port, behind the capture: where deferred frames go when their time comes. */
    private final FrameSink captured = (address, length, metadata) -> {
        capture(address, length, false);
        next.onFrame(address, length, metadata);
    };

    VifFrameGate(LinkFlows flows) {
        this(flows, null);
    }

    /** A gate sharing {@code flows} with the other queues of its vif, all of them locking {@code lock}. */
    VifFrameGate(LinkFlows flows, Object lock) {
        this.flows = flows;
        this.lock = lock;
    }

    /** A sink that lets the guest's frames through the flows (and the snoop) to {@code port}. */
    FrameSink outboundTo(FrameSink port) {
        this.next = port;
        return this::outbound;
    }

    private void outbound(long address, int length, FrameMetadata metadata) {
        if (!flows.engaged()) {
            captured.onFrame(address, length, metadata); // no flow: no lock, nothing to classify
            return;
        }
        if (lock == null) {
            outboundUnlocked(address, length, metadata);
            return;
        }
        synchronized (lock) {
            outboundUnlocked(address, length, metadata);
        }
    }

    private void outboundUnlocked(long address, int length, FrameMetadata metadata) {
        view.wrap(address, length);
        if (flows.outbound(view, 0, length, address, metadata) == LinkFlows.PASS) {
            captured.onFrame(address, length, metadata);
        }
        flows.disengageIfIdle();
    }

    /** Deferred guest frames whose flow has the tokens now go to the port; how many. */
    int releaseDeferred() {
        if (!flows.engaged()) {
            return 0;
        }
        if (lock == null) {
            return flows.releaseDeferred(captured);
        }
        synchronized (lock) {
            return flows.releaseDeferred(captured);
        }
    }

    /** When the lane should wake to release deferred frames (nanoTime), or -1. */
    long nextReleaseNs() {
        if (!flows.engaged()) {
            return -1;
        }
        if (lock == null) {
            return flows.nextReleaseNs();
        }
        synchronized (lock) {
            return flows.nextReleaseNs();
        }
    }

    @Override
    public boolean admit(long address, int length) {
        if (!flows.engaged()) {
            capture(address, length, true);
            return true;
        }
        if (lock == null) {
            return admitUnlocked(address, length);
        }
        synchronized (lock) {
            return admitUnlocked(address, length);
        }
    }

    private boolean admitUnlocked(long address, int length) {
        view.wrap(address, length);
        if (!flows.admitInbound(view, 0, length)) {
            return false;
        }
        capture(address, length, true);
        return true;
    }

    private void capture(long address, int length, boolean inbound) {
        FrameCapture c = capture;
        if (c != null) {
            view.wrap(address, length);
            c.capture(view, 0, length, inbound);
        }
    }

    /** Whether a capture was attached (false: another one runs). */
    synchronized boolean attach(FrameCapture c) {
        if (capture != null) {
            return false;
        }
        capture = c;
        return true;
    }

    synchronized void detach(FrameCapture c) {
        if (capture == c) {
            capture = null;
        }
    }

    LinkFlows flows() {
        return flows;
    }
}
