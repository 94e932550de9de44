package org.xnb.netback.vif;

import java.util.ArrayList;
import java.util.List;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.netback.xenbus.ScriptedNetfront;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.netback.xenbus.XenbusState;
import org.xnb.xenstore.XenstoreClient;

/**
 * One guest as a Linux netfront would be: the xenbus side through the guest's own xenstore
 * connection ({@link ScriptedNetfront}: ring refs, ports, features, state) and the data path on
 * the rings and port it published ({@link MockNetfront}: grants the ring pages to dom0, allocates
 * an unbound port for dom0). Written from netif.h and XEN-RIG.md; not thread-safe (one driving
 * thread per guest).
 */
final class GuestDriver implements AutoCloseable {
    /** Rx buffers kept posted: MockNetfront cycles through this many data frames. */
    static final int RX_POSTED = MockNetfront.RX_DATA_FRAMES;

    final int domid;
    final long mac;
    final MockNetfront front;
    final ScriptedNetfront xenbus;
    /** The Rx port when the event channels are split (else {@link MockNetfront#port} both ways). */
    final int rxPort;
    final boolean split;
    long txSent;
    long rxReceived;

    /** A frame as the guest received it. */
    record Received(byte[] bytes, int flags, int gsoType, int gsoSize) {
    }

    GuestDriver(HarnessHost host, XenstoreClient guestXs, int domid, boolean split) {
        this.domid = domid;
        this.mac = parseMac(VifNodes.mac(domid, 0));
        this.front = new MockNetfront(host, domid);
        this.split = split;
        this.rxPort = split ? front.events.allocateUnbound(HarnessHost.BACKEND) : front.port;
        this.xenbus = new ScriptedNetfront(guestXs, domid, 0);
    }

    /** Publishes the rings and ports and says Connected (Linux 6.1 netfront's keys). */
    void connect() {
        connect(false);
    }

    /** As {@link #connect()}, plus {@code request-multicast-control=1} if asked. */
    void connect(boolean multicastControl) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>(
                ScriptedNetfront.linux61Keys(front.txRingRef, front.rxRingRef, front.port, rxPort, split));
        if (multicastControl) {
            keys.put("request-multicast-control", "1");
        }
        xenbus.connect(keys);
    }

    /** Subscribes to a multicast group: a request with only an MCAST_ADD extra (netfront's way). */
    void subscribe(long group) {
        front.postTx(0, 0, NetTxFlags.EXTRA_INFO, front.nextId(), 0);
        front.postMcast(ExtraInfo.TYPE_MCAST_ADD, 0, group);
        if (front.pushTx()) {
            front.events.notify(front.port);
        }
    }

    void state(XenbusState s) {
        xenbus.state(s);
    }

    static long parseMac(String s) {
        long m = 0;
        for (String o : s.split(":")) {
            m = (m << 8) | Integer.parseInt(o, 16);
        }
        return m;
    }

    /** An Ethernet frame: destination, our source, IPv4 type, then a pattern naming {@code seq}. */
    byte[] frame(long dst, int length, int seq) {
        byte[] b = new byte[length];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (mac >>> (40 - 8 * i));
        }
        b[12] = 0x08;
        b[13] = 0x00;
        for (int i = 14; i < length; i++) {
            b[i] = (byte) (i * 31 + seq * 7 + domid);
        }
        if (length >= 22) {
            for (int i = 0; i < 4; i++) {
                b[14 + i] = (byte) (seq >>> (24 - 8 * i));
                b[18 + i] = (byte) (domid >>> (24 - 8 * i));
            }
        }
        return b;
    }

    /** Whether the Tx ring has room for {@code slots} more requests (consuming responses first). */
    boolean txRoom(int slots) {
        front.skipTxResponses();
        return front.tx.freeRequests() >= slots;
    }

    /** Sends one frame in as many 4 KiB slots as it needs, optionally with a GSO extra. */
    void send(byte[] frame, int gsoType, int gsoSize) {
        int page = 4096;
        int slots = (frame.length + page - 1) / page;
        int at = 0;
        for (int i = 0; i < slots; i++) {
            int f = front.takeTxFrame();
            int chunk = Math.min(page, frame.length - at);
            front.memory.putBytes(MockNetfront.txFrameOffset(f), frame, at, chunk);
            int flags = i < slots - 1 ? NetTxFlags.MORE_DATA : 0;
            if (i == 0 && gsoType != 0) {
                flags |= NetTxFlags.EXTRA_INFO | NetTxFlags.CSUM_BLANK;
            }
            front.postTx(front.txRef(f), 0, flags, front.nextId(), i == 0 ? frame.length : chunk);
            if (i == 0 && gsoType != 0) {
                front.postGso(0, gsoSize, gsoType);
            }
            at += chunk;
        }
        if (front.pushTx()) {
            front.events.notify(front.port);
        }
        txSent++;
    }

    void send(byte[] frame) {
        send(frame, 0, 0);
    }

    /**
     * Keeps {@link #RX_POSTED} buffers posted and kicks the backend when it asked (as netfront's
     * {@code xennet_alloc_rx_buffers}: a kick it did not ask for is a spurious event, XSA-332).
     */
    void postRx() {
        int outstanding = Netif.RX_RING_SIZE - front.rx.freeRequests();
        int more = RX_POSTED - outstanding;
        if (more > 0 && front.postRx(more)) {
            front.events.notify(rxPort);
        }
    }

    /** Consumes every published Rx response, reassembles the frames, reposts the buffers. */
    List<Received> receive() {
        List<Received> out = new ArrayList<>();
        List<RxSlot> slots = front.rxResponses();
        int i = 0;
        while (i < slots.size()) {
            RxSlot first = slots.get(i++);
            if (first.status() < 0) {
                throw new AssertionError("guest " + domid + ": Rx error status " + first.status());
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            bytes.writeBytes(front.rxData(first.id(), first.offset(), first.status()));
            int gsoType = 0;
            int gsoSize = 0;
            if ((first.flags() & NetRxFlags.EXTRA_INFO) != 0) {
                long raw = slots.get(i++).rawWord();
                if ((raw & 0xff) != ExtraInfo.TYPE_GSO) {
                    throw new AssertionError("guest " + domid + ": extra of type " + (raw & 0xff));
                }
                gsoSize = (int) (raw >>> 16) & 0xffff;
                gsoType = (int) (raw >>> 32) & 0xff;
            }
            RxSlot s = first;
            while ((s.flags() & NetRxFlags.MORE_DATA) != 0) {
                s = slots.get(i++);
                bytes.writeBytes(front.rxData(s.id(), s.offset(), s.status()));
            }
            out.add(new Received(bytes.toByteArray(), first.flags(), gsoType, gsoSize));
        }
        rxReceived += out.size();
        postRx();
        return out;
    }

    @Override
    public void close() {
        front.close();
    }
}
