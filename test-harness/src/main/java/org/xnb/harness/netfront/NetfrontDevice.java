package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
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
 * The data side of a guest's netfront, one queue, as Linux's xen-netfront keeps it: a Tx and an
 * Rx shared ring granted to the backend, one page per Tx request id and one per Rx ring slot, and
 * event channels offered to the backend (split Tx/Rx ports when the backend supports them).
 * Written from {@code io/netif.h} and {@code io/ring.h}.
 *
 * <pre>
 *   guest memory (frame f at f * 4096)
 *   frame 0            Tx shared ring  (granted read-write)
 *   frame 1            Rx shared ring  (granted read-write)
 *   frames 2..257      Tx pages, one per request id 0..255  (granted read-only)
 *   frames 258..513    Rx pages, one per ring slot 0..255   (granted read-write)
 * </pre>
 *
 * <p>Tx: a frame goes out as one slot per page (the first slot's size is the whole frame), with a
 * GSO extra after the first slot when asked; a page and its id are free again when the backend's
 * response for that id arrives (responses with {@code NETIF_RSP_NULL} answer extra slots and
 * free nothing). Rx: the request at ring index {@code i} has id {@code i % 256} and that slot's
 * page, so the response at index {@code i} (extras included) names its own page, like
 * netfront's {@code xennet_rxidx}. A frame is taken only once all its slots are published.
 *
 * <p>Nothing here allocates once constructed. One thread drives a device.
 */
public final class NetfrontDevice implements AutoCloseable {
    public static final int TX_RING_FRAME = 0;
    public static final int RX_RING_FRAME = 1;
    public static final int TX_IDS = Netif.TX_RING_SIZE;
    public static final int RX_SLOTS = Netif.RX_RING_SIZE;
    public static final int TX_PAGE_FIRST = 2;
    public static final int RX_PAGE_FIRST = TX_PAGE_FIRST + TX_IDS;
    /** Guest memory this device needs. */
    public static final int PAGES = RX_PAGE_FIRST + RX_SLOTS;
    /** Grant refs this device needs (plus the reserved ones). */
    public static final int GRANTS = PAGES + 16;
    /** The most data slots of one Tx frame: netback's {@code XEN_NETBK_LEGACY_SLOTS_MAX} is 18. */
    public static final int MAX_TX_SLOTS = 17;

    private static final int PAGE = XenPage.SIZE;

    private final HarnessGuest guest;
    /** This device's first frame: queue q of a multi-queue guest starts at {@code q * PAGES}. */
    private final int base;
    private final AtomicBuffer memory;
    private final FrontRing tx;
    private final FrontRing rx;
    private final int txRingRef;
    private final int rxRingRef;
    private final int[] txRefs = new int[TX_IDS];
    private final int[] rxRefs = new int[RX_SLOTS];
    private final int[] freeTxIds = new int[TX_IDS];
    private int freeTxCount;
    private final HarnessEventChannel events;
    private final int txPort;
    private final int rxPort;
    private final TxResponse txResponse = new TxResponse();
    private final RxResponse rxResponse = new RxResponse();
    private final ExtraInfo extra = new ExtraInfo();

    /** Metadata of the last frame {@link #receive} returned. */
    private int rxFlags;
    private int rxGsoType;
    private int rxGsoSize;

    private long txFrames;
    private long txErrors;
    private long rxFrames;
    private long rxErrors;

    /**
     * Sets up the rings and buffers of guest {@code guest}'s netfront toward {@code backendDomid},
     * with split event channels if {@code split}.
     */
    public NetfrontDevice(HarnessGuest guest, int backendDomid, boolean split) {
        this(guest, backendDomid, split, 0);
    }

    /**
     * One queue of a multi-queue netfront ({@code xennet_create_queues}): the same layout from
     * frame {@code firstFrame} (queue q at {@code q * PAGES}), grants from the guest's one table.
     */
    public NetfrontDevice(HarnessGuest guest, int backendDomid, boolean split, int firstFrame) {
        if (guest.pages() < firstFrame + PAGES) {
            throw new IllegalArgumentException("guest " + guest.domid() + " has " + guest.pages()
                    + " pages; a netfront queue from frame " + firstFrame + " needs " + (firstFrame + PAGES));
        }
        this.guest = guest;
        this.base = firstFrame;
        this.memory = guest.memory();
        int ringBytes = SharedRingDescriptor.PAGE_BYTES;
        tx = FrontRing.initShared(memory, HarnessGuest.frameOffset(base + TX_RING_FRAME), ringBytes, Netif.TX_SLOT_BYTES);
        rx = FrontRing.initShared(memory, HarnessGuest.frameOffset(base + RX_RING_FRAME), ringBytes, Netif.RX_SLOT_BYTES);
        txRingRef = guest.grantAccess(base + TX_RING_FRAME, backendDomid, false);
        rxRingRef = guest.grantAccess(base + RX_RING_FRAME, backendDomid, false);
        for (int id = 0; id < TX_IDS; id++) {
            txRefs[id] = guest.grantAccess(base + TX_PAGE_FIRST + id, backendDomid, true);
            freeTxIds[freeTxCount++] = id;
        }
        for (int slot = 0; slot < RX_SLOTS; slot++) {
            rxRefs[slot] = guest.grantAccess(base + RX_PAGE_FIRST + slot, backendDomid, false);
        }
        events = guest.openEventChannel();
        txPort = events.allocateUnbound(backendDomid);
        rxPort = split ? events.allocateUnbound(backendDomid) : txPort;
    }

    public int txRingRef() {
        return txRingRef;
    }

    public int rxRingRef() {
        return rxRingRef;
    }

    public int txPort() {
        return txPort;
    }

    public int rxPort() {
        return rxPort;
    }

    public boolean split() {
        return txPort != rxPort;
    }

    /** Readable while one of this device's ports is pending (for poll). */
    public int eventFd() {
        return events.fd();
    }

    /** Takes every delivered event and unmasks its port; the caller then looks at both rings. */
    public int drainEvents() {
        int n = 0;
        for (int port; n < 8 && (port = events.waitPending(0)) >= 0; n++) {
            events.unmask(port);
        }
        return n;
    }

    // ---- Tx ----

    /** Whether a frame of {@code length} bytes (plus a GSO extra if {@code gso}) fits now. */
    public boolean canSend(int length, boolean gso) {
        int slots = dataSlots(length);
        return slots <= freeTxCount && slots + (gso ? 1 : 0) <= tx.freeRequests();
    }

    public static int dataSlots(int length) {
        return Math.max(1, (length + PAGE - 1) / PAGE);
    }

    /**
     * Queues a frame ({@code length} bytes at {@code at} in {@code src}) on the Tx ring, not yet
     * pushed. {@code txFlags} are NETTXF_csum_blank / data_validated; {@code gsoType} a
     * {@code XEN_NETIF_GSO_TYPE_*} (NONE for no extra). Call {@link #canSend} first.
     */
    public void send(org.agrona.DirectBuffer src, int at, int length, int txFlags, int gsoType, int gsoSize) {
        if (length < 1 || length > Netif.MAX_TX_SIZE || !canSend(length, gsoType != ExtraInfo.GSO_TYPE_NONE)) {
            throw new IllegalStateException("Tx frame of " + length + " bytes does not fit now");
        }
        int done = 0;
        boolean first = true;
        while (done < length) {
            int chunk = Math.min(PAGE, length - done);
            int id = freeTxIds[--freeTxCount];
            memory.putBytes(HarnessGuest.frameOffset(base + TX_PAGE_FIRST + id), src, at + done, chunk);
            done += chunk;
            int flags = done < length ? NetTxFlags.MORE_DATA : 0;
            if (first) {
                flags |= txFlags;
                if (gsoType != ExtraInfo.GSO_TYPE_NONE) {
                    flags |= NetTxFlags.EXTRA_INFO;
                }
            }
            writeTxRequest(tx.produceRequest(), txRefs[id], flags, id, first ? length : chunk);
            if (first && gsoType != ExtraInfo.GSO_TYPE_NONE) {
                ExtraInfo.writeGso(memory, tx.produceRequest(), 0, gsoSize, gsoType, 0);
            }
            first = false;
        }
        txFrames++;
    }

    private void writeTxRequest(int slot, int gref, int flags, int id, int size) {
        memory.putInt(slot + TxRequest.GREF_OFFSET, gref, LITTLE_ENDIAN);
        memory.putShort(slot + TxRequest.OFFSET_OFFSET, (short) 0, LITTLE_ENDIAN);
        memory.putShort(slot + TxRequest.FLAGS_OFFSET, (short) flags, LITTLE_ENDIAN);
        memory.putShort(slot + TxRequest.ID_OFFSET, (short) id, LITTLE_ENDIAN);
        memory.putShort(slot + TxRequest.SIZE_OFFSET, (short) size, LITTLE_ENDIAN);
    }

    /** Publishes queued Tx requests and kicks the backend's Tx port if it asked to be. */
    public void pushTx() {
        if (tx.pushRequestsAndCheckNotify()) {
            events.notify(txPort);
        }
    }

    /** Takes the Tx responses published so far, freeing their pages; returns how many. */
    public int reapTx() {
        int prod = tx.responseProducer();
        if (tx.responseProducerOverflow(prod)) {
            throw new IllegalStateException("backend's Tx rsp_prod " + prod + " overruns our requests");
        }
        int n = 0;
        while (tx.responseConsumer() != prod) {
            txResponse.readFrom(memory, tx.consumeResponse());
            n++;
            if (txResponse.status() == Netif.RSP_NULL) {
                continue; // answers an extra slot
            }
            if (txResponse.status() != Netif.RSP_OKAY) {
                txErrors++;
            }
            int id = txResponse.id();
            if (id >= TX_IDS || freeTxCount == TX_IDS) {
                throw new IllegalStateException("backend answered Tx id " + id + " which is not outstanding");
            }
            freeTxIds[freeTxCount++] = id;
        }
        return n;
    }

    // ---- Rx ----

    /** Offers every free Rx slot to the backend and kicks its Rx port if it asked to be. */
    public void refillRx() {
        int added = 0;
        while (rx.freeRequests() > 0) {
            int index = rx.requestProducer();
            int slot = index & (RX_SLOTS - 1);
            RxRequest.write(memory, rx.produceRequest(), slot, rxRefs[slot]);
            added++;
        }
        if (added > 0 && rx.pushRequestsAndCheckNotify()) {
            events.notify(rxPort);
        }
    }

    /**
     * Copies the next complete received frame to {@code dst} at {@code at} and consumes its slots.
     *
     * @return the frame's length; 0 if no complete frame is waiting; -1 if a frame was consumed
     *         but dropped (an error status, a bad layout, or longer than {@code capacity})
     */
    public int receive(MutableDirectBuffer dst, int at, int capacity) {
        int prod = rx.responseProducer();
        if (rx.responseProducerOverflow(prod)) {
            throw new IllegalStateException("backend's Rx rsp_prod " + prod + " overruns our requests");
        }
        int index = rx.responseConsumer();
        if (index == prod) {
            return 0;
        }
        // first pass: find the frame's end without consuming, so a half-published frame waits
        int slots = 0;
        int firstFlags = 0;
        boolean more = true;
        boolean extras = false;
        int gsoType = ExtraInfo.GSO_TYPE_NONE;
        int gsoSize = 0;
        while (more || extras) {
            if (index + slots == prod) {
                return 0;
            }
            if (slots >= RX_SLOTS) {
                return dropRx(slots);
            }
            int slotAt = rx.entryOffset(index + slots);
            if (extras) {
                extra.readFrom(memory, slotAt);
                if (extra.type() == ExtraInfo.TYPE_GSO) {
                    gsoType = extra.gsoType();
                    gsoSize = extra.gsoSize();
                }
                extras = extra.more();
            } else {
                rxResponse.readFrom(memory, slotAt);
                if (slots == 0) {
                    firstFlags = rxResponse.flags();
                    extras = (firstFlags & NetRxFlags.EXTRA_INFO) != 0;
                }
                more = (rxResponse.flags() & NetRxFlags.MORE_DATA) != 0;
            }
            slots++;
        }
        // second pass: copy the data slots
        int length = 0;
        boolean skippingExtras = (firstFlags & NetRxFlags.EXTRA_INFO) != 0;
        for (int i = 0; i < slots; i++) {
            int slotAt = rx.entryOffset(index + i);
            if (i > 0 && skippingExtras) {
                extra.readFrom(memory, slotAt);
                skippingExtras = extra.more();
                continue;
            }
            rxResponse.readFrom(memory, slotAt);
            int status = rxResponse.status();
            int offset = rxResponse.offset();
            if (status < 0 || offset + status > PAGE || length + status > capacity) {
                return dropRx(slots);
            }
            int slot = (index + i) & (RX_SLOTS - 1);
            memory.getBytes(HarnessGuest.frameOffset(base + RX_PAGE_FIRST + slot) + offset, dst, at + length, status);
            length += status;
        }
        rx.responseConsumer(index + slots);
        if (length == 0) {
            return dropRx(0);
        }
        rxFlags = firstFlags;
        rxGsoType = gsoType;
        rxGsoSize = gsoSize;
        rxFrames++;
        return length;
    }

    private int dropRx(int slots) {
        rx.responseConsumer(rx.responseConsumer() + slots);
        rxErrors++;
        return -1;
    }

    /** NETRXF_* of the last frame {@link #receive} returned. */
    public int rxFlags() {
        return rxFlags;
    }

    /** XEN_NETIF_GSO_TYPE_* of the last frame (NONE without a GSO extra). */
    public int rxGsoType() {
        return rxGsoType;
    }

    public int rxGsoSize() {
        return rxGsoSize;
    }

    /** Re-arms both rings' response events; true if responses arrived meanwhile (do not sleep). */
    public boolean finalCheck() {
        boolean txWaiting = tx.finalCheckForResponses();
        boolean rxWaiting = rx.finalCheckForResponses();
        return txWaiting || rxWaiting;
    }

    public boolean txIdle() {
        return freeTxCount == TX_IDS;
    }

    public long txFrames() {
        return txFrames;
    }

    public long txErrors() {
        return txErrors;
    }

    public long rxFrames() {
        return rxFrames;
    }

    public long rxErrors() {
        return rxErrors;
    }

    /**
     * Closes the event channels and ends the grants that the backend no longer holds (a grant
     * still mapped stays, as Linux's deferred end-access would leave it).
     */
    @Override
    public void close() {
        events.close();
        guest.tryEndAccess(txRingRef);
        guest.tryEndAccess(rxRingRef);
        for (int ref : txRefs) {
            guest.tryEndAccess(ref);
        }
        for (int ref : rxRefs) {
            guest.tryEndAccess(ref);
        }
    }
}
