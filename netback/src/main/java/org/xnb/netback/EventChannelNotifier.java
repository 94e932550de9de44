package org.xnb.netback;

import org.xnb.grant.EventChannel;

/** A {@link Notifier} over a bound local port of an event-channel handle (notify_remote_via_irq). */
public final class EventChannelNotifier implements Notifier {
    private final EventChannel channel;
    private final int localPort;

    public EventChannelNotifier(EventChannel channel, int localPort) {
        this.channel = channel;
        this.localPort = localPort;
    }

    @Override
    public void notifyGuest() {
        channel.notify(localPort);
    }
}
