package org.xnb.netback.tx;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteOrder;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;
import org.xnb.grant.ring.BackRing;
import org.xnb.netback.Clock;
import org.xnb.netback.FatalGuestError;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.GuestRule;
import org.xnb.netback.MulticastList;
import org.xnb.netback.Notifier;
import org.xnb.netback.QueueListener;

/**
 * The guest-transmit half of one netback queue (Linux {@code xenvif_tx_action}): consumes the Tx
 * ring, checks every request against Linux netback's rules, copies each good packet out of the
 * guest's pages with ONE batched grant copy per batch into a linear frame, hands it to a
 * {@link FrameSink}, and answers every slot.
 *
 * <p>An Agrona-style agent: {@link #doWork()} does one bounded batch (at most a ring's worth of
 * slots) and returns the slots it consumed; it allocates nothing on the way. Single-threaded.
 *
 * <h2>One batch</h2>
 * <ol>
 *   <li>build ({@code xenvif_tx_build_gops}): copy each request out of the shared page once
 *       (XSA-155), then check the copy. Extras ({@code xenvif_get_extras}), fragments
 *       ({@code xenvif_count_requests}), the first slot and GSO ({@code xenvif_set_skb_gso}).
 *       A non-fatal rule answers the whole packet {@code NETIF_RSP_ERROR} at once
 *       ({@code xenvif_tx_err}); a fatal one stops the engine ({@code xenvif_fatal_tx_err});
 *       multicast extras update the vif's list and are answered at once.</li>
 *   <li>copy: one {@link GrantTable#copy} for every segment of the batch.</li>
 *   <li>deliver ({@code xenvif_tx_check_gop}, {@code xenvif_tx_submit}): a packet whose segments
 *       all copied goes to the sink and is answered OKAY; otherwise it is answered ERROR.</li>
 *   <li>push the responses; notify only if the guest asked ({@code push_tx_responses}); when the
 *       ring is empty re-arm {@code req_event} ({@code RING_FINAL_CHECK_FOR_REQUESTS}).</li>
 * </ol>
 *
 * <h2>Headers (XSA-423, XSA-432)</h2>
 * Linux copies only the first {@code XEN_NETBACK_TX_COPY_LEN} (128) bytes into the skb head and
 * maps the rest; both advisories were about headers that a guest split across slots ending up
 * outside the linear area, or overrunning the frag array when it did so with the maximum slot
 * count. Here every packet is copied whole and end to end into one contiguous frame, whatever
 * the slot boundaries, so the headers are always linear and no per-fragment array exists to
 * overrun.
 *
 * <h2>Zero-length fragments (XSA-448)</h2>
 * A fragment of size 0 after the first slot is legal: it gets no copy segment and is answered
 * like the rest of its packet.
 */
public final class TxEngine {
    /** {@code ETH_HLEN}: the first slot must hold at least an Ethernet header. */
    public static final int ETH_HLEN = 14;
    /** {@code XEN_NETBK_LEGACY_SLOTS_MAX}: more fragments than this are dropped. */
    public static final int LEGACY_SLOTS_MAX = 18;
    /** {@code fatal_skb_slots} (Linux default): this many fragments is malicious. */
    public static final int FATAL_SKB_SLOTS = 20;

    private static final Logger LOG = System.getLogger(TxEngine.class.getName());
    private static final int MCAST_ADD = ExtraInfo.TYPE_MCAST_ADD - 1;
    private static final int MCAST_DEL = ExtraInfo.TYPE_MCAST_DEL - 1;
    private static final int GSO = ExtraInfo.TYPE_GSO - 1;
    private static final int HASH = ExtraInfo.TYPE_HASH - 1;

    private final BackRing ring;
    private final AtomicBuffer shared;
    private final GrantTable grants;
    private final int domid;
    private final int queue;
    private final Notifier notifier;
    private final FrameSink sink;
    private final QueueListener listener;
    private final MulticastList multicast;
    private final TxCounters counters = new TxCounters();

    private final TxRequest first = new TxRequest();
    private final TxRequest frag = new TxRequest();
    private final ExtraInfo[] extras = new ExtraInfo[ExtraInfo.TYPE_MAX - 1];
    private final boolean[] present = new boolean[ExtraInfo.TYPE_MAX - 1];
    private ExtraInfo spareExtra = new ExtraInfo();
    private final int[] fragGref = new int[LEGACY_SLOTS_MAX];
    private final int[] fragOffset = new int[LEGACY_SLOTS_MAX];
    private final int[] fragSize = new int[LEGACY_SLOTS_MAX];
    private final int[] fragId = new int[FATAL_SKB_SLOTS];
    private final TxPending pending;
    private final GrantCopyBatch batch;
    private final FrameMetadata metadata = new FrameMetadata();

    /** The {@code rate} limit; unlimited unless the vif sets one ({@link #credit()}). */
    private final TxCredit credit;
    private boolean responsesToPush;
    private FatalGuestError fatal;

    /**
     * @param ring      the backend view of the guest's Tx ring (mapped page)
     * @param grants    this lane's grant-table handle
     * @param domid     the guest
     * @param queue     the queue number within the vif (for reports)
     * @param notifier  kicks the guest's Tx event channel
     * @param sink      receives the guest's frames
     * @param multicast the vif's multicast list (updated by MCAST_ADD/DEL extras)
     * @param listener  told about a fatal error, once
     */
    public TxEngine(BackRing ring, GrantTable grants, int domid, int queue, Notifier notifier, FrameSink sink,
            MulticastList multicast, QueueListener listener) {
        this(ring, grants, domid, queue, notifier, sink, multicast, listener, new TxCredit(Clock.SYSTEM));
    }

    /** As above, with the queue's credit ({@code rate}) scheduler, e.g. one on a test clock. */
    public TxEngine(BackRing ring, GrantTable grants, int domid, int queue, Notifier notifier, FrameSink sink,
            MulticastList multicast, QueueListener listener, TxCredit credit) {
        if (ring.entryBytes() != Netif.TX_SLOT_BYTES) {
            throw new IllegalArgumentException("not a Tx ring: " + ring.entryBytes() + "-byte slots");
        }
        this.ring = ring;
        this.shared = ring.buffer();
        this.grants = grants;
        this.domid = domid;
        this.queue = queue;
        this.notifier = notifier;
        this.sink = sink;
        this.multicast = multicast;
        this.listener = listener;
        this.credit = credit;
        for (int i = 0; i < extras.length; i++) {
            extras[i] = new ExtraInfo();
        }
        this.pending = new TxPending(ring.size());
        this.batch = new GrantCopyBatch(ring.size());
    }

    /**
     * Does one batch: at most a ring's worth of slots.
     *
     * @return slots consumed (0: nothing to do, or the engine has stopped)
     */
    public int doWork() {
        if (fatal != null) {
            return 0;
        }
        int consumedBefore = ring.requestConsumer();
        pending.clear();
        batch.clear();
        build();
        if (pending.count > 0) {
            grants.copy(batch);
            deliver();
        }
        if (responsesToPush) {
            responsesToPush = false;
            if (ring.pushResponsesAndCheckNotify()) {
                counters.notifications++;
                notifier.notifyGuest();
            } else {
                counters.notificationsSuppressed++;
            }
        }
        int consumed = ring.requestConsumer() - consumedBefore;
        counters.slots += consumed;
        // xenvif_poll: a rate-limited queue is not re-armed; the caller runs it again at
        // credit().retryAtNanos() (Linux: the credit timer's callback)
        if (credit.rateLimited()) {
            return consumed;
        }
        // xenvif_napi_schedule_or_enable_events: with the ring drained, re-arm req_event and look
        // once more; requests still there (batch limit, or one that raced the re-arm) mean "call
        // again before sleeping"
        if (fatal == null && ring.finalCheckForRequests()) {
            return Math.max(consumed, 1);
        }
        return consumed;
    }

    /** Whether a fatal rule stopped this engine. */
    public boolean stopped() {
        return fatal != null;
    }

    /** The fatal error that stopped the engine, or null. */
    public FatalGuestError fatalError() {
        return fatal;
    }

    /** The {@code rate} scheduler: {@code setRate} on a live change, {@code retryAtNanos} when limited. */
    public TxCredit credit() {
        return credit;
    }

    public TxCounters counters() {
        return counters;
    }

    /** xenvif_tx_build_gops: parse and check packets until the batch or the ring is exhausted. */
    private void build() {
        final int size = ring.size();
        final int start = ring.requestConsumer();
        while (ring.requestConsumer() - start < size) {
            int reqProd = ring.requestProducer();
            if (ring.impossibleRequestCount(reqProd)) {
                fail(GuestRule.IMPOSSIBLE_REQUEST_COUNT, "req_prod " + Integer.toUnsignedString(reqProd)
                        + ", req_cons " + Integer.toUnsignedString(ring.requestConsumer()) + ", size " + size);
                return;
            }
            int workToDo = ring.unconsumedRequests();
            if (workToDo <= 0) {
                return;
            }
            // credit-based scheduling (xenvif_tx_build_gops): the first slot is copied out once,
            // and left unconsumed if the packet must wait for credit
            first.readFrom(shared, ring.entryOffset(ring.requestConsumer()));
            if (!credit.tryConsume(first.size())) {
                return;
            }
            ring.consumeRequest();
            workToDo--;

            int extraCount = 0;
            present[0] = present[1] = present[2] = present[3] = false;
            if (first.hasFlag(NetTxFlags.EXTRA_INFO)) {
                // xenvif_get_extras
                boolean more;
                do {
                    if (workToDo-- <= 0) {
                        fail(GuestRule.MISSING_EXTRA_INFO, "request id " + first.id() + " after " + extraCount + " extras");
                        return;
                    }
                    ExtraInfo e = spareExtra.readFrom(shared, ring.consumeRequest());
                    extraCount++;
                    int type = e.type();
                    if (type == ExtraInfo.TYPE_NONE || type >= ExtraInfo.TYPE_MAX) {
                        fail(GuestRule.INVALID_EXTRA_TYPE, "type " + type + " after request id " + first.id());
                        return;
                    }
                    spareExtra = extras[type - 1];
                    extras[type - 1] = e;
                    present[type - 1] = true;
                    more = e.more();
                } while (more);
            }

            if (present[MCAST_ADD]) {
                boolean added = multicast.add(extras[MCAST_ADD].mcastAddress());
                if (!added) {
                    counters.count(GuestRule.MULTICAST_LIST_FULL);
                }
                counters.multicastUpdates++;
                respond(first.id(), extraCount, added ? Netif.RSP_OKAY : Netif.RSP_ERROR);
                continue;
            }
            if (present[MCAST_DEL]) {
                multicast.remove(extras[MCAST_DEL].mcastAddress());
                counters.multicastUpdates++;
                respond(first.id(), extraCount, Netif.RSP_OKAY);
                continue;
            }

            // xenvif_count_requests: the fragments, read at req_cons + slots, consumed together
            final int cons = ring.requestConsumer();
            int remaining = first.size();
            int slots = 0;
            GuestRule drop = null;
            boolean more = first.hasFlag(NetTxFlags.MORE_DATA);
            while (more) {
                if (slots >= workToDo) {
                    fail(GuestRule.SLOTS_EXCEED_AVAILABLE, "asked for more than " + workToDo + " slots");
                    return;
                }
                if (slots >= FATAL_SKB_SLOTS) {
                    fail(GuestRule.FATAL_SLOT_COUNT, "using " + slots + " slots, threshold " + FATAL_SKB_SLOTS);
                    return;
                }
                if (drop == null && slots >= LEGACY_SLOTS_MAX) {
                    drop = GuestRule.TOO_MANY_SLOTS;
                }
                frag.readFrom(shared, ring.entryOffset(cons + slots));
                fragId[slots] = frag.id();
                if (drop == null && frag.size() > remaining) {
                    // a frame >= 64 KiB overflowed the u16 size: buggy frontends do it, not fatal
                    drop = GuestRule.SLOT_LARGER_THAN_REMAINING;
                }
                if (drop == null) {
                    fragGref[slots] = frag.gref();
                    fragOffset[slots] = frag.offset();
                    fragSize[slots] = frag.size();
                }
                remaining = (remaining - frag.size()) & 0xffff;
                slots++;
                if (frag.offset() + frag.size() > XenPage.SIZE) {
                    fail(GuestRule.SLOT_CROSSES_PAGE, "fragment offset " + frag.offset() + ", size " + frag.size());
                    return;
                }
                more = frag.hasFlag(NetTxFlags.MORE_DATA);
            }
            ring.requestConsumer(cons + slots);
            if (drop != null) {
                txError(drop, extraCount, slots);
                continue;
            }
            if (remaining < ETH_HLEN) {
                txError(GuestRule.PACKET_TOO_SHORT, extraCount, slots);
                continue;
            }
            if (first.offset() + remaining > XenPage.SIZE) {
                fail(GuestRule.SLOT_CROSSES_PAGE, "first slot offset " + first.offset() + ", size " + remaining);
                return;
            }
            int gsoType = 0;
            int gsoSize = 0;
            if (present[GSO]) {
                // xenvif_set_skb_gso
                ExtraInfo gso = extras[GSO];
                if (gso.gsoSize() == 0) {
                    fail(GuestRule.GSO_SIZE_ZERO, "request id " + first.id());
                    return;
                }
                if (gso.gsoType() != ExtraInfo.GSO_TYPE_TCPV4 && gso.gsoType() != ExtraInfo.GSO_TYPE_TCPV6) {
                    fail(GuestRule.GSO_TYPE_UNKNOWN, "GSO type " + gso.gsoType());
                    return;
                }
                gsoType = gso.gsoType();
                gsoSize = gso.gsoSize();
            }
            stage(remaining, slots, extraCount, gsoType, gsoSize);
        }
    }

    /** Queues the copy segments of a checked packet and remembers how to answer it. */
    private void stage(int firstBytes, int slots, int extraCount, int gsoType, int gsoSize) {
        int total = firstBytes;
        for (int i = 0; i < slots; i++) {
            total += fragSize[i];
        }
        TxPending p = pending;
        int n = p.count;
        int at = p.claim(total);
        long dest = p.arenaAddress + at;
        p.segStart[n] = batch.size();
        batch.addFromGuest(domid, first.gref(), first.offset(), dest, firstBytes);
        dest += firstBytes;
        p.fragIdStart[n] = p.fragIdCount;
        for (int i = 0; i < slots; i++) {
            if (fragSize[i] != 0) { // XSA-448: a zero-length fragment contributes no segment
                batch.addFromGuest(domid, fragGref[i], fragOffset[i], dest, fragSize[i]);
                dest += fragSize[i];
            }
            p.addFragId(fragId[i]);
        }
        p.segEnd[n] = batch.size();
        p.fragIdEnd[n] = p.fragIdCount;
        p.firstId[n] = first.id();
        p.extraCount[n] = extraCount;
        p.offset[n] = at;
        p.length[n] = total;
        p.gsoType[n] = gsoType;
        p.gsoSize[n] = gsoSize;
        p.checksum[n] = (first.hasFlag(NetTxFlags.CSUM_BLANK) ? FrameMetadata.CSUM_BLANK : 0)
                | (first.hasFlag(NetTxFlags.DATA_VALIDATED) ? FrameMetadata.DATA_VALIDATED : 0);
        if (present[HASH]) {
            p.hashType[n] = extras[HASH].hashType();
            p.hashValue[n] = extras[HASH].hashValue();
        } else {
            p.hashType[n] = FrameMetadata.NO_HASH;
            p.hashValue[n] = 0;
        }
        p.count = n + 1;
    }

    /** xenvif_tx_check_gop + xenvif_tx_submit: hand over or reject each packet of the batch. */
    private void deliver() {
        TxPending p = pending;
        for (int n = 0; n < p.count; n++) {
            boolean copied = true;
            for (int s = p.segStart[n]; s < p.segEnd[n]; s++) {
                if (batch.status(s) != GrantStatus.OKAY) {
                    copied = false;
                }
            }
            int status;
            if (copied) {
                metadata.reset().gso(p.gsoType[n], p.gsoSize[n]).checksum(p.checksum[n]);
                if (p.hashType[n] != FrameMetadata.NO_HASH) {
                    metadata.hash(p.hashType[n], p.hashValue[n]);
                }
                sink.onFrame(p.arenaAddress + p.offset[n], p.length[n], metadata);
                counters.packets++;
                counters.bytes += p.length[n];
                status = Netif.RSP_OKAY;
            } else {
                counters.count(GuestRule.GRANT_COPY_FAILED);
                status = Netif.RSP_ERROR;
            }
            respond(p.firstId[n], p.extraCount[n], status);
            for (int f = p.fragIdStart[n]; f < p.fragIdEnd[n]; f++) {
                respond(p.fragIds[f], 0, status);
            }
        }
    }

    /** xenvif_tx_err: every slot of the packet just consumed is answered ERROR (extras NULL). */
    private void txError(GuestRule rule, int extraCount, int slots) {
        counters.count(rule);
        respond(first.id(), extraCount, Netif.RSP_ERROR);
        for (int i = 0; i < slots; i++) {
            respond(fragId[i], 0, Netif.RSP_ERROR);
        }
    }

    /**
     * make_tx_response: {@code id}/{@code status} in the next response slot, then NETIF_RSP_NULL
     * in the status of one slot per extra (the id there is left as it was, as Linux does).
     */
    private void respond(int id, int extraCount, int status) {
        TxResponse.write(shared, ring.produceResponse(), id, status);
        for (int i = 0; i < extraCount; i++) {
            shared.putShort(ring.produceResponse() + TxResponse.STATUS_OFFSET, (short) Netif.RSP_NULL,
                    ByteOrder.LITTLE_ENDIAN);
        }
        counters.responses += 1 + extraCount;
        responsesToPush = true;
    }

    /** xenvif_fatal_tx_err: stop, report once; packets already checked are still delivered. */
    private void fail(GuestRule rule, String detail) {
        counters.count(rule);
        fatal = new FatalGuestError(domid, queue, rule, detail);
        LOG.log(Level.ERROR, "vif {0}.{1}: fatal error, disabling device: {2}", domid, queue, fatal);
        listener.onFatal(fatal);
    }
}
