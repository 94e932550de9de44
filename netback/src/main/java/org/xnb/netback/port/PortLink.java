package org.xnb.netback.port;

import org.xnb.netback.FrameSink;

/**
 * One vif's attachment to a {@link Port}: a {@link FrameSink} for the vif's Tx frames (called
 * only by the vif's thread) and the way to detach.
 */
public interface PortLink extends FrameSink, AutoCloseable {

    /**
     * Detaches the vif. When this returns the port calls the vif's receiver no more, not even
     * from a delivery that had already started on another thread, so the vif may free what the
     * receiver uses. Idempotent.
     */
    @Override
    void close();
}
