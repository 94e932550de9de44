package org.xnb.netback.vif;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.harness.netfront.NetfrontCtrlRing;
import org.xnb.netback.xenbus.ScriptedNetfront;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.netback.xenbus.XenbusState;
import org.xnb.xenstore.XenstoreClient;

/**
 * A guest with N netfront queues and (optionally) a control ring, as Linux netfront's
 * {@code xennet_create_queues()} + {@code talk_to_netback()} set them up: each queue its rings,
 * data pages and event channel(s) in its own share of the guest's memory
 * ({@link MockNetfront#queue}), the control ring ({@link NetfrontCtrlRing}) in the last frames,
 * and the keys written in one transaction in Linux's order
 * ({@link ScriptedNetfront#linuxMultiQueueKeys}) plus {@code ctrl-ring-ref} and
 * {@code event-channel-ctrl}. Written from netif.h; one driving thread.
 */
final class MultiQueueGuest implements AutoCloseable {
    final int domid;
    final long mac;
    final HarnessGuest guest;
    final MockNetfront[] queues;
    final int[] rxPorts;
    final NetfrontCtrlRing ctrl;
    final ScriptedNetfront xenbus;
    final boolean split;

    /**
     * A frame as queue {@code queue} received it; {@code hashExtra} the raw 8 bytes of its HASH
     * extra (type 4), or -1 when none came.
     */
    record Received(int queue, byte[] bytes, int flags, long hashExtra) {
    }

    MultiQueueGuest(HarnessHost host, XenstoreClient guestXs, int domid, int queueCount, boolean split,
            boolean withCtrl) {
        this.domid = domid;
        this.mac = GuestDriver.parseMac(VifNodes.mac(domid, 0));
        this.guest = new HarnessGuest(host.dir, domid);
        this.split = split;
        int usable = guest.pages() - NetfrontCtrlRing.FRAMES;
        int perQueue = usable / queueCount;
        int rxData = Math.min(64, (perQueue - 2) / 2);
        int txData = Math.min(60, perQueue - 2 - rxData);
        queues = new MockNetfront[queueCount];
        rxPorts = new int[queueCount];
        for (int q = 0; q < queueCount; q++) {
            queues[q] = MockNetfront.queue(guest, q * perQueue, txData, rxData);
            rxPorts[q] = split ? queues[q].events.allocateUnbound(HarnessHost.BACKEND) : queues[q].port;
        }
        ctrl = withCtrl ? new NetfrontCtrlRing(guest, usable, HarnessHost.BACKEND) : null;
        xenbus = new ScriptedNetfront(guestXs, domid, 0);
    }

    /** The keys Linux's {@code talk_to_netback()} writes for these queues, plus the control ring's. */
    Map<String, String> keys() {
        int[][] rings = new int[queues.length][];
        for (int q = 0; q < queues.length; q++) {
            rings[q] = new int[] {queues[q].txRingRef, queues[q].rxRingRef, queues[q].port, rxPorts[q]};
        }
        Map<String, String> k = new LinkedHashMap<>(ScriptedNetfront.linuxMultiQueueKeys(rings, split));
        if (ctrl != null) {
            k.put("ctrl-ring-ref", Integer.toString(ctrl.ringRef));
            k.put("event-channel-ctrl", Integer.toString(ctrl.port));
        }
        return k;
    }

    /** Publishes the keys and says Connected. */
    void connect() {
        xenbus.connect(keys());
    }

    void state(XenbusState s) {
        xenbus.state(s);
    }

    /** Keeps each queue's Rx buffers posted, kicking where the backend asked. */
    void postRx() {
        for (int q = 0; q < queues.length; q++) {
            MockNetfront f = queues[q];
            int outstanding = Netif.RX_RING_SIZE - f.rx.freeRequests();
            int more = f.rxDataFrames - outstanding;
            if (more > 0 && f.postRx(more)) {
                f.events.notify(rxPorts[q]);
            }
        }
    }

    /** Every frame each queue received since the last call (single-slot frames), buffers reposted. */
    List<Received> receive() {
        List<Received> out = new ArrayList<>();
        for (int q = 0; q < queues.length; q++) {
            MockNetfront f = queues[q];
            List<RxSlot> slots = f.rxResponses();
            for (int i = 0; i < slots.size(); i++) {
                RxSlot s = slots.get(i);
                if (s.status() < 0) {
                    throw new AssertionError("guest " + domid + " queue " + q + ": Rx error status " + s.status());
                }
                if ((s.flags() & NetRxFlags.MORE_DATA) != 0) {
                    throw new AssertionError("guest " + domid + " queue " + q + ": multi-slot frame unexpected");
                }
                byte[] bytes = f.rxData(s.id(), s.offset(), s.status());
                long hashExtra = -1;
                if ((s.flags() & NetRxFlags.EXTRA_INFO) != 0) {
                    long raw;
                    do { // netif.h: extras follow the first slot, chained by XEN_NETIF_EXTRA_FLAG_MORE
                        raw = slots.get(++i).rawWord();
                        if ((raw & 0xff) == ExtraInfo.TYPE_HASH) {
                            hashExtra = raw;
                        }
                    } while ((raw >>> 8 & ExtraInfo.FLAG_MORE) != 0);
                }
                out.add(new Received(q, bytes, s.flags(), hashExtra));
            }
        }
        postRx();
        return out;
    }

    /** Sends the control ring's posted requests and waits (bounded) for their responses. */
    List<NetfrontCtrlRing.Reply> callCtrl(int expected) {
        if (ctrl.push()) {
            ctrl.events.notify(ctrl.port);
        }
        List<NetfrontCtrlRing.Reply> replies = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (replies.size() < expected) {
            replies.addAll(ctrl.responses());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("control ring: " + replies.size() + " of " + expected + " responses");
            }
            Thread.onSpinWait();
        }
        return replies;
    }

    @Override
    public void close() {
        for (MockNetfront f : queues) {
            f.close();
        }
        if (ctrl != null) {
            ctrl.close();
        }
        guest.close();
    }
}
