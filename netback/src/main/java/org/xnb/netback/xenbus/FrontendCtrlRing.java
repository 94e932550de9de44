package org.xnb.netback.xenbus;

/**
 * The frontend's control ring ({@code feature-ctrl-ring}), as Linux's {@code connect_ctrl_ring()}
 * reads it: the grant reference of the ring page and the guest's port for its notifications.
 *
 * @param ringRef      {@code ctrl-ring-ref}
 * @param eventChannel {@code event-channel-ctrl}
 */
public record FrontendCtrlRing(int ringRef, int eventChannel) {
}
