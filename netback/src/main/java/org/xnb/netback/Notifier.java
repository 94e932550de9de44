package org.xnb.netback;

/**
 * Kicks the guest's side of a ring's event channel. Engines call it only when the ring protocol
 * says the guest asked for it ({@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}).
 */
@FunctionalInterface
public interface Notifier {

    void notifyGuest();
}
