package org.xnb.netback;

/**
 * What a queue's engines tell the vif that owns them. Called on the engine's own thread; must not
 * block. Every method has an empty default so a vif implements only what it acts on.
 */
public interface QueueListener {

    /** A guest broke a fatal rule; the engine reporting it has stopped (called once per engine). */
    default void onFatal(FatalGuestError error) {
    }

    /** Rx: the guest posted no Rx slots for the stall timeout; the queue's carrier is now off. */
    default void onRxStalled(int domid, int queue) {
    }

    /** Rx: a stalled guest posted Rx slots again; the queue's carrier is back on. */
    default void onRxReady(int domid, int queue) {
    }

    /** A listener that ignores everything. */
    QueueListener NONE = new QueueListener() {
    };
}
