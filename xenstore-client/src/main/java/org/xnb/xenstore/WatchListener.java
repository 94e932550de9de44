package org.xnb.xenstore;

/**
 * Receives watch events on the client's dispatcher thread, one at a time, in arrival order.
 * Events are hints: a listener must re-read the nodes it cares about rather than trust that
 * it saw every change (xenstore coalesces nothing, but this client may, see
 * {@link WatchDispatcher}).
 */
@FunctionalInterface
public interface WatchListener {
    void onEvent(WatchEvent event);
}
