package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.RxRequest;
import org.xnb.grant.netif.RxResponse;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;
import org.xnb.grant.ring.FrontRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.hypervisor.HarnessGuest;

/**
 * A small netfront for driving a backend on the harness: one queue, its Tx and Rx rings in guest
 * frames 0 and 1 granted to the backend, data pages after them, and an event channel offered to
 * the backend. It posts Tx requests (well-formed or not) and Rx buffers, and reads the responses.
 *
 * <p>It is written from Xen's {@code io/netif.h} and {@code io/ring.h} only, never from netback's
 * code: a backend test that uses it checks netback against the protocol, not against itself. That
 * is also why it lives here, in test-harness, which does not depend on netback.
 *
 * <pre>
 *   guest memory (HarnessGuest.frameOffset(frame) = frame * 4096)
 *   frame 0          Tx shared ring   (granted read-write to the backend)
 *   frame 1          Rx shared ring   (granted read-write)
 *   frames 2..301    Tx data pages    (granted read-only), used cyclically
 *   frames 302..501  Rx buffer pages  (granted read-write), offered cyclically
 * </pre>
 *
 * <p>Several queues of one guest: {@link #queue} builds one queue on a {@link HarnessGuest}
 * shared by the queues (one grant table), its rings and data pages from a given frame, with
 * fewer data pages so that N queues and a control ring fit in the guest's memory. Each queue
 * has its own event-channel handle and ports, as each of Linux netfront's queues has its own.
 *
 * <p>Not thread-safe: one thread drives one mock netfront (two netfronts, or two queues, may run
 * on two threads). Not done yet: xenbus (the handshake).
 */
public final class MockNetfront implements AutoCloseable {
    public static final int TX_RING_FRAME = 0;
    public static final int RX_RING_FRAME = 1;
    /** Data frames used for Tx packets, cyclically. */
    public static final int TX_DATA_FIRST = 2;
    public static final int TX_DATA_FRAMES = 300;
    /** Frames offered as Rx buffers, cyclically. */
    public static final int RX_DATA_FIRST = TX_DATA_FIRST + TX_DATA_FRAMES;
    public static final int RX_DATA_FRAMES = 200;

    /** Frames one queue of {@link #queue} takes: its two rings and its data pages. */
    public static int framesOf(int txDataFrames, int rxDataFrames) {
        return 2 + txDataFrames + rxDataFrames;
    }

    public final HarnessGuest guest;
    /** Whether {@link #close()} closes {@link #guest} (not when queues share it). */
    private final boolean ownsGuest;
    private final int txDataFirst;
    private final int rxDataFirst;
    /** Tx data frames used cyclically (default {@link #TX_DATA_FRAMES}). */
    public final int txDataFrames;
    /** Rx buffer frames offered cyclically (default {@link #RX_DATA_FRAMES}). */
    public final int rxDataFrames;
    public final int domid;
    public final AtomicBuffer memory;
    public final FrontRing tx;
    public final FrontRing rx;
    public final int txRingRef;
    public final int rxRingRef;
    public final HarnessEventChannel events;
    public final int port;
    /** Grant ref (to the backend) of each Tx data frame, by index. */
    private final int[] txRefs;
    private final int[] rxRefs;
    /** Rx request id -> the rx data frame index it offered. */
    private final int[] rxFrameOfId = new int[65536];
    private int nextTxFrame;
    private int nextRxFrame;
    private int nextId;
    private final TxRequest txRequest = new TxRequest();
    private final TxResponse txResponse = new TxResponse();
    private final RxResponse rxResponse = new RxResponse();

    public MockNetfront(HarnessHost host, int domid) {
        this(new HarnessGuest(host.dir, domid), true, 0, TX_DATA_FRAMES, RX_DATA_FRAMES);
    }

    /**
     * One queue of a multi-queue guest: Tx ring in {@code firstFrame}, Rx ring after it, then
     * {@code txDataFrames} Tx data pages and {@code rxDataFrames} Rx buffer pages, all granted to
     * the backend from {@code guest}'s grant table (shared with the other queues, not closed here).
     */
    public static MockNetfront queue(HarnessGuest guest, int firstFrame, int txDataFrames, int rxDataFrames) {
        return new MockNetfront(guest, false, firstFrame, txDataFrames, rxDataFrames);
    }

    private MockNetfront(HarnessGuest guest, boolean ownsGuest, int firstFrame, int txDataFrames, int rxDataFrames) {
        this.guest = guest;
        this.ownsGuest = ownsGuest;
        this.domid = guest.domid();
        this.memory = guest.memory();
        this.txDataFrames = txDataFrames;
        this.rxDataFrames = rxDataFrames;
        this.txDataFirst = firstFrame + 2;
        this.rxDataFirst = txDataFirst + txDataFrames;
        this.txRefs = new int[txDataFrames];
        this.rxRefs = new int[rxDataFrames];
        guest.frameAddress(rxDataFirst + rxDataFrames - 1); // fails now if the guest is too small
        int page = SharedRingDescriptor.PAGE_BYTES;
        tx = FrontRing.initShared(memory, HarnessGuest.frameOffset(firstFrame), page, Netif.TX_SLOT_BYTES);
        rx = FrontRing.initShared(memory, HarnessGuest.frameOffset(firstFrame + 1), page, Netif.RX_SLOT_BYTES);
        txRingRef = guest.grantAccess(firstFrame, HarnessHost.BACKEND, false);
        rxRingRef = guest.grantAccess(firstFrame + 1, HarnessHost.BACKEND, false);
        for (int i = 0; i < txDataFrames; i++) {
            txRefs[i] = guest.grantAccess(txDataFirst + i, HarnessHost.BACKEND, true);
        }
        for (int i = 0; i < rxDataFrames; i++) {
            rxRefs[i] = guest.grantAccess(rxDataFirst + i, HarnessHost.BACKEND, false);
        }
        events = guest.openEventChannel();
        port = events.allocateUnbound(HarnessHost.BACKEND);
    }

    /** Offset in {@link #memory} of this netfront's Tx data frame {@code txFrame}. */
    public int txDataOffset(int txFrame) {
        return HarnessGuest.frameOffset(txDataFirst + txFrame);
    }

    // ---- Tx ----

    /** Index of the next Tx data frame to use (cyclic). */
    public int takeTxFrame() {
        int f = nextTxFrame;
        nextTxFrame = (nextTxFrame + 1) % txDataFrames;
        return f;
    }

    public int txRef(int txFrame) {
        return txRefs[txFrame];
    }

    /** Offset of a Tx data frame in {@link #memory}, default layout (see {@link #txDataOffset}). */
    public static int txFrameOffset(int txFrame) {
        return HarnessGuest.frameOffset(TX_DATA_FIRST + txFrame);
    }

    public int nextId() {
        int id = nextId;
        nextId = (nextId + 1) & 0xffff;
        return id;
    }

    /** Writes one Tx request at req_prod_pvt (not yet pushed). */
    public void postTx(int gref, int offset, int flags, int id, int size) {
        txRequest.set(gref, offset, flags, id, size).writeTo(memory, tx.produceRequest());
    }

    /** Writes a GSO extra slot. */
    public void postGso(int extraFlags, int size, int gsoType) {
        ExtraInfo.writeGso(memory, tx.produceRequest(), extraFlags, size, gsoType, 0);
    }

    public void postMcast(int type, int extraFlags, long mac) {
        ExtraInfo.writeMcast(memory, tx.produceRequest(), type, extraFlags, mac);
    }

    /** Writes any 8 bytes into the next slot as an extra (type in the low byte). */
    public void postRawExtra(long word) {
        memory.putLong(tx.produceRequest(), word, LITTLE_ENDIAN);
    }

    /**
     * Posts {@code packet} as slots of the given sizes (they must add up to the packet), each in
     * its own data frame at {@code offsets[i]} (0 if absent). Returns the ids used, slot order.
     */
    public int[] postPacket(byte[] packet, int flags, int[] sizes, int... offsets) {
        int[] ids = new int[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            int f = takeTxFrame();
            int off = i < offsets.length ? offsets[i] : 0;
            memory.putBytes(txFrameOffset(f) + off, packet, at, sizes[i]);
            at += sizes[i];
            ids[i] = nextId();
            int slotFlags = (i == 0 ? flags : 0) | (i < sizes.length - 1 ? NetTxFlags.MORE_DATA : 0);
            postTx(txRefs[f], off, slotFlags, ids[i], i == 0 ? packet.length : sizes[i]);
        }
        return ids;
    }

    /** Posts a single-slot packet. */
    public int postPacket(byte[] packet) {
        return postPacket(packet, 0, new int[] {packet.length})[0];
    }

    /** RING_PUSH_REQUESTS_AND_CHECK_NOTIFY on the Tx ring; kicks the backend if it asked. */
    public boolean pushTx() {
        return tx.pushRequestsAndCheckNotify();
    }

    /** Consumes every Tx response published so far: {id, status} pairs. */
    public List<int[]> txResponses() {
        List<int[]> out = new ArrayList<>();
        int prod = tx.responseProducer();
        while (tx.responseConsumer() != prod) {
            txResponse.readFrom(memory, tx.consumeResponse());
            out.add(new int[] {txResponse.id(), txResponse.status()});
        }
        return out;
    }

    /** Consumes Tx responses without looking at them (allocation-free). */
    public int skipTxResponses() {
        int prod = tx.responseProducer();
        int n = prod - tx.responseConsumer();
        tx.responseConsumer(prod);
        return n;
    }

    // ---- Rx ----

    /**
     * Posts {@code count} Rx buffers (one page each) and pushes them.
     *
     * @return whether the backend asked to be kicked (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY)
     */
    public boolean postRx(int count) {
        for (int i = 0; i < count; i++) {
            int f = nextRxFrame;
            nextRxFrame = (nextRxFrame + 1) % rxDataFrames;
            int id = nextId();
            rxFrameOfId[id] = f;
            RxRequest.write(memory, rx.produceRequest(), id, rxRefs[f]);
        }
        return rx.pushRequestsAndCheckNotify();
    }

    /** Writes one Rx request with any id and gref (not pushed). */
    public void postRxRaw(int id, int gref) {
        RxRequest.write(memory, rx.produceRequest(), id, gref);
    }

    /** A received slot: the response, and (for data slots) where its bytes are. */
    public record RxSlot(int ringIndex, int id, int offset, int flags, int status, long rawWord) {
    }

    /** Consumes every Rx response published so far. */
    public List<RxSlot> rxResponses() {
        List<RxSlot> out = new ArrayList<>();
        int prod = rx.responseProducer();
        while (rx.responseConsumer() != prod) {
            int index = rx.responseConsumer();
            int at = rx.consumeResponse();
            rxResponse.readFrom(memory, at);
            out.add(new RxSlot(index, rxResponse.id(), rxResponse.offset(), rxResponse.flags(), rxResponse.status(),
                    memory.getLong(at, LITTLE_ENDIAN)));
        }
        return out;
    }

    /** Consumes Rx responses without looking at them (allocation-free). */
    public int skipRxResponses() {
        int prod = rx.responseProducer();
        int n = prod - rx.responseConsumer();
        rx.responseConsumer(prod);
        return n;
    }

    /** Bytes the backend wrote into the buffer offered with request {@code id}. */
    public byte[] rxData(int id, int offset, int length) {
        byte[] b = new byte[length];
        memory.getBytes(HarnessGuest.frameOffset(rxDataFirst + rxFrameOfId[id]) + offset, b);
        return b;
    }

    @Override
    public void close() {
        events.close();
        if (ownsGuest) {
            guest.close();
        }
    }
}
