package org.xnb.netback.xenbus;

import org.xnb.netback.VifFeatures;

/**
 * The seam between the xenbus handshake and the data path: called on the backend's xenbus
 * thread once the frontend has published its rings (Linux's {@code connect()} after
 * {@code connect_data_rings()}). The data path implements it; tests use a recording fake.
 *
 * <p>It runs on the one thread that serves every device of the backend, so it must not block
 * for long (map the rings, bind the ports, start the engines, return).
 */
@FunctionalInterface
public interface VifConnector {

    /**
     * Connects the data path of one vif.
     *
     * @return the live connection; closed by the caller when the device disconnects
     * @throws Exception when the rings cannot be taken over (bad grant reference, port, ...):
     *                   the device then writes a xenbus error node and goes to Closing
     */
    VifConnection connect(VifId id, int frontendDomid, FrontendRings rings, VifFeatures features,
            VifConfig config, AttachMode mode) throws Exception;

    /**
     * Connects the data path of one vif from the whole offer: every queue's rings and the control
     * ring. The offer never has more queues than {@link #maxQueues()}, nor a control ring unless
     * {@link #controlRing()}; the default (a single-queue data path) connects queue 0.
     */
    default VifConnection connect(VifId id, int frontendDomid, FrontendOffer offer, VifConfig config,
            AttachMode mode) throws Exception {
        if (offer.queues().size() != 1 || offer.ctrl() != null) {
            throw new IllegalStateException("this data path serves one queue and no control ring: " + offer);
        }
        return connect(id, frontendDomid, offer.rings(), offer.features(), config, mode);
    }

    /** What the backend advertises in {@code multi-queue-max-queues} (Linux: {@code xenvif_max_queues}). */
    default int maxQueues() {
        return 1;
    }

    /** Whether the backend advertises {@code feature-ctrl-ring} and serves a control ring. */
    default boolean controlRing() {
        return false;
    }
}
