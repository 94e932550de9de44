package org.xnb.netback.vif;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameSink;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.netback.rx.RxAdmission;

/**
 * Where a vif's frames pass its flows and a snoop, on the lane's thread: guest Tx frames between the
 * {@link TxFilter} and the port ({@link #outboundTo}), frames for the guest as the Rx engine is about
 * to copy them ({@link RxAdmission}). One view buffer re-wrapped per frame, nothing allocated.
 * The capture is volatile: attached and detached from the admin thread.
 */
final class VifFrameGate implements RxAdmission {
    private final LinkFlows flows;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private volatile FrameCapture capture;
    private long outboundDrops;

    VifFrameGate(LinkFlows flows) {
        this.flows = flows;
    }

    /** A sink that lets the guest's frames through the flows (and the snoop) to {@code next}. */
    FrameSink outboundTo(FrameSink next) {
        return (address, length, metadata) -> {
            if (pass(address, length, false)) {
                next.onFrame(address, length, metadata);
            } else {
                outboundDrops++;
            }
        };
    }

    @Override
    public boolean admit(long address, int length) {
        return pass(address, length, true);
    }

    private boolean pass(long address, int length, boolean inbound) {
        view.wrap(address, length);
        if (!flows.admit(view, 0, length, inbound)) {
            return false;
        }
        FrameCapture c = capture;
        if (c != null) {
            c.capture(view, 0, length, inbound);
        }
        return true;
    }

    /** Guest Tx frames a flow's maxbw dropped (the Rx side counts its own in RxCounters). */
    long outboundDrops() {
        return outboundDrops;
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
