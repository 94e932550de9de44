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
}
