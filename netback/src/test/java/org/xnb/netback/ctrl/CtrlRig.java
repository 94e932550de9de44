package org.xnb.netback.ctrl;

import java.util.ArrayList;
import java.util.List;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontCtrlRing;
import org.xnb.netback.EventChannelNotifier;
import org.xnb.netback.FatalGuestError;
import org.xnb.netback.QueueListener;
import org.xnb.netback.hash.QueueSelector;

/**
 * A guest's control ring (the harness's {@link NetfrontCtrlRing}, frames 0..2 of guest A) and the
 * backend's side as the handshake will set it up: the ring mapped, {@code event-channel-ctrl}
 * bound, a {@link CtrlRing} feeding a {@link QueueSelector} of {@code queues} queues.
 */
final class CtrlRig implements AutoCloseable {
    final HarnessHost host = new HarnessHost();
    final HarnessGuest guest = new HarnessGuest(host.dir, HarnessHost.GUEST_A);
    final NetfrontCtrlRing front = new NetfrontCtrlRing(guest, 0, HarnessHost.BACKEND);
    final GrantTable grants;
    final GrantMapping mapping;
    final BackRing backRing;
    final HarnessEventChannel events;
    final int localPort;
    final QueueSelector selector;
    final CtrlRing ctrl;
    final List<FatalGuestError> fatals = new ArrayList<>();

    CtrlRig(int queues) {
        this(queues, null);
    }

    /** @param grantsOverride the grant table the engine uses (null: the backend's own) */
    CtrlRig(int queues, java.util.function.Function<GrantTable, GrantTable> grantsOverride) {
        GrantTable own = host.hypervisor.openGrantTable();
        mapping = own.map(HarnessHost.GUEST_A, new int[] {front.ringRef}, 1, true);
        grants = own;
        backRing = BackRing.attachLive(mapping.buffer(), 0, SharedRingDescriptor.PAGE_BYTES, Netif.CTRL_SLOT_BYTES);
        events = host.hypervisor.openEventChannel();
        localPort = events.bindInterdomain(HarnessHost.GUEST_A, front.port);
        selector = new QueueSelector(queues);
        QueueListener listener = new QueueListener() {
            @Override
            public void onFatal(FatalGuestError error) {
                fatals.add(error);
            }
        };
        ctrl = new CtrlRing(backRing, grantsOverride == null ? own : grantsOverride.apply(own), HarnessHost.GUEST_A,
                new EventChannelNotifier(events, localPort), selector, listener);
    }

    /** Pushes the guest's requests and runs the backend once. */
    List<NetfrontCtrlRing.Reply> exchange() {
        front.push();
        ctrl.doWork();
        return front.responses();
    }

    /** One request, its one reply. */
    NetfrontCtrlRing.Reply call(int id) {
        return front.call(id, ctrl::doWork);
    }

    @Override
    public void close() {
        grants.unmap(mapping);
        events.unbind(localPort);
        events.close();
        grants.close();
        front.close();
        guest.close();
        host.close();
    }
}
