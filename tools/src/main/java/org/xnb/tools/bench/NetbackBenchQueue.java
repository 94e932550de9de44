package org.xnb.tools.bench;

import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.Clock;
import org.xnb.netback.EventChannelNotifier;
import org.xnb.netback.FrameSink;
import org.xnb.netback.MulticastList;
import org.xnb.netback.QueueListener;
import org.xnb.netback.VifFeatures;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.tx.TxEngine;

/**
 * The backend side of one mock netfront's queue, wired as the xenbus handshake will wire it: the
 * guest's two rings mapped through the harness grant table, its event channel bound, a Tx engine
 * whose frames go to {@code sink} and an Rx engine. Only what the benchmark needs; netback's tests
 * have their own fuller kit.
 */
final class NetbackBenchQueue implements AutoCloseable {
    final TxEngine tx;
    final RxEngine rx;
    private final GrantTable grants;
    private final GrantMapping txMapping;
    private final GrantMapping rxMapping;
    private final HarnessEventChannel events;
    private final int localPort;

    NetbackBenchQueue(HarnessHost host, MockNetfront front, VifFeatures features, FrameSink sink) {
        grants = host.hypervisor.openGrantTable();
        int page = SharedRingDescriptor.PAGE_BYTES;
        txMapping = grants.map(front.domid, new int[] {front.txRingRef}, 1, true);
        rxMapping = grants.map(front.domid, new int[] {front.rxRingRef}, 1, true);
        BackRing txRing = BackRing.attachLive(txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
        BackRing rxRing = BackRing.attachLive(rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
        events = host.hypervisor.openEventChannel();
        localPort = events.bindInterdomain(front.domid, front.port);
        EventChannelNotifier notifier = new EventChannelNotifier(events, localPort);
        MulticastList multicast = new MulticastList();
        tx = new TxEngine(txRing, grants, front.domid, 0, notifier, sink, multicast, QueueListener.NONE);
        rx = new RxEngine(rxRing, grants, front.domid, 0, notifier, features, multicast, Clock.SYSTEM,
                QueueListener.NONE);
    }

    /** Throws if a guest rule stopped an engine: the mock netfronts are well-formed, so that is a bug. */
    void checkRunning() {
        if (tx.stopped()) {
            throw new IllegalStateException("Tx engine stopped: " + tx.fatalError());
        }
    }

    @Override
    public void close() {
        rx.stop();
        grants.unmap(txMapping);
        grants.unmap(rxMapping);
        events.unbind(localPort);
        events.close();
        grants.close();
    }
}
