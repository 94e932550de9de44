package org.xnb.netback.xenbus;

/**
 * Where the frontend put queue 0's shared rings and how it wants to be notified, as read by
 * Linux's {@code connect_data_rings()}: the grant references of the Tx and Rx ring pages and
 * either one event channel for both ({@code event-channel}) or one per direction
 * ({@code event-channel-tx} + {@code event-channel-rx}, {@code feature-split-event-channels}).
 *
 * <p>Grant references and ports are unsigned 32-bit numbers kept in {@code int}s.
 *
 * @param txRingRef          {@code tx-ring-ref}: the page of the guest-to-world ring
 * @param rxRingRef          {@code rx-ring-ref}: the page of the world-to-guest ring
 * @param txEventChannel     the guest's port for Tx notifications
 * @param rxEventChannel     the guest's port for Rx notifications (equal to Tx when not split)
 * @param splitEventChannels whether the two ports came from the split keys
 */
public record FrontendRings(int txRingRef, int rxRingRef, int txEventChannel, int rxEventChannel,
        boolean splitEventChannels) {

    public FrontendRings {
        if (!splitEventChannels && txEventChannel != rxEventChannel) {
            throw new IllegalArgumentException("a shared event channel must be the same port both ways");
        }
    }

    public static FrontendRings shared(int txRingRef, int rxRingRef, int eventChannel) {
        return new FrontendRings(txRingRef, rxRingRef, eventChannel, eventChannel, false);
    }

    public static FrontendRings split(int txRingRef, int rxRingRef, int txEventChannel, int rxEventChannel) {
        return new FrontendRings(txRingRef, rxRingRef, txEventChannel, rxEventChannel, true);
    }
}
