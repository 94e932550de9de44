package org.xnb.netback.xenbus;

/**
 * A connected vif's data path, as the {@link VifConnector} returned it. The xenbus side calls
 * {@link #close()} exactly once, when the device disconnects for any reason; no other call
 * follows it.
 */
public interface VifConnection extends AutoCloseable {

    /**
     * The toolstack changed the {@code rate} node while connected (Linux's
     * {@code xen_net_rate_changed()}): apply the new credit to every queue.
     */
    void rateChanged(RateLimit rate);

    /** Unmaps the rings, unbinds the event channels, stops the queue's engines. */
    @Override
    void close();
}
