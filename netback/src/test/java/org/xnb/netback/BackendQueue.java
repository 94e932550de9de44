package org.xnb.netback;

import java.util.ArrayList;
import java.util.List;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.tx.TxEngine;

/**
 * The backend side of one queue, as the xenbus handshake will set it up later: the guest's rings
 * mapped, its event channel bound, a Tx and an Rx engine. Frames the Tx engine emits go to
 * {@link #sink} (by default: {@link #frames}).
 */
public final class BackendQueue implements AutoCloseable {
    public final GrantTable grants;
    public final GrantMapping txMapping;
    public final GrantMapping rxMapping;
    public final BackRing txRing;
    public final BackRing rxRing;
    public final HarnessEventChannel events;
    public final int localPort;
    public final TxEngine tx;
    public final RxEngine rx;
    public final MulticastList multicast = new MulticastList();
    public final List<FatalGuestError> fatals = new ArrayList<>();
    public final List<Frame> frames = new ArrayList<>();
    public FrameSink sink = (address, length, metadata) -> frames.add(Frame.copyOf(address, length, metadata));
    public int stalledEvents;
    public int readyEvents;

    /** A frame the Tx engine emitted, copied. */
    public record Frame(byte[] bytes, int gsoType, int gsoSize, int checksum, int hashType, int hashValue) {
        static Frame copyOf(long address, int length, FrameMetadata m) {
            byte[] b = new byte[length];
            org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(address, length);
            view.getBytes(0, b);
            return new Frame(b, m.gsoType(), m.gsoSize(), m.checksum(), m.hashType(), m.hashValue());
        }
    }

    public BackendQueue(HarnessHost host, MockNetfront front, VifFeatures features, Clock clock) {
        this(host, front, features, clock, host.hypervisor.openGrantTable());
    }

    public BackendQueue(HarnessHost host, MockNetfront front, VifFeatures features, Clock clock, GrantTable grants) {
        this.grants = grants;
        int page = SharedRingDescriptor.PAGE_BYTES;
        txMapping = grants.map(front.domid, new int[] {front.txRingRef}, 1, true);
        rxMapping = grants.map(front.domid, new int[] {front.rxRingRef}, 1, true);
        try {
            txRing = BackRing.attachLive(txMapping.buffer(), 0, page, Netif.TX_SLOT_BYTES);
            rxRing = BackRing.attachLive(rxMapping.buffer(), 0, page, Netif.RX_SLOT_BYTES);
        } catch (RuntimeException refused) { // as the handshake must: nothing stays mapped
            grants.unmap(txMapping);
            grants.unmap(rxMapping);
            grants.close();
            throw refused;
        }
        events = host.hypervisor.openEventChannel();
        localPort = events.bindInterdomain(front.domid, front.port);
        Notifier notifier = new EventChannelNotifier(events, localPort);
        QueueListener listener = new QueueListener() {
            @Override
            public void onFatal(FatalGuestError error) {
                fatals.add(error);
            }

            @Override
            public void onRxStalled(int domid, int queue) {
                stalledEvents++;
            }

            @Override
            public void onRxReady(int domid, int queue) {
                readyEvents++;
            }
        };
        tx = new TxEngine(txRing, grants, front.domid, 0, notifier, (a, l, m) -> sink.onFrame(a, l, m), multicast,
                listener);
        rx = new RxEngine(rxRing, grants, front.domid, 0, notifier, features, multicast, clock, listener);
    }

    /** Unmaps the rings, unbinds the port, closes the handles. */
    @Override
    public void close() {
        grants.unmap(txMapping);
        grants.unmap(rxMapping);
        events.unbind(localPort);
        events.close();
        grants.close();
    }
}
