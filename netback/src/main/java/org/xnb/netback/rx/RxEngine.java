package org.xnb.netback.rx;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteOrder;
import org.agrona.UnsafeAccess;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.netback.hash.FrameHash;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.RxRequest;
import org.xnb.grant.netif.RxResponse;
import org.xnb.grant.ring.BackRing;
import org.xnb.netback.Clock;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.MulticastList;
import org.xnb.netback.Notifier;
import org.xnb.netback.QueueListener;
import org.xnb.netback.VifFeatures;

/**
 * The guest-receive half of one netback queue (Linux {@code rx.c}): frames from the world wait in
 * a bounded queue ({@link #onFrame}, from any threads) until the guest posts Rx buffers;
 * {@link #doWork()} (the engine's thread) fills those buffers with one batched grant copy per batch
 * and answers each request in its own ring slot.
 *
 * <h2>Per packet ({@code xenvif_rx_skb})</h2>
 * Slots needed = one per 4096 bytes, plus one for a GSO extra ({@code xenvif_rx_ring_slots_available};
 * while too few are posted, {@code req_event = req_prod + 1} asks the guest to kick us). Slot 0
 * carries data with {@code NETRXF_extra_info} if a GSO extra follows, the checksum flags
 * ({@code csum_blank|data_validated} for a blank checksum, {@code data_validated} for a checked one)
 * and {@code NETRXF_more_data} if data continues; slot 1 then holds the GSO extra
 * ({@code xenvif_rx_extra_slot}: extras go after the first data slot); then the remaining data,
 * 4096 bytes per slot at offset 0 ({@code xenvif_rx_data_slot}, {@code xenvif_rx_next_chunk}).
 * Each response sits in its request's slot and echoes its id; status = bytes written, or
 * {@code NETIF_RSP_ERROR} in every data slot of a packet whose grant copy failed
 * ({@code xenvif_rx_copy_flush}). Responses become visible to the guest only after the copy.
 *
 * <h2>Bounds (XSA-392)</h2>
 * The queue refuses frames once {@link #RX_QUEUE_MAX_BYTES} are queued (half the Rx ring in pages,
 * Linux {@code rx_queue_max}); frames older than {@link #DRAIN_TIMEOUT_NS} are dropped
 * ({@code xenvif_rx_queue_drop_expired}); a guest that posts no Rx slot for
 * {@link #STALL_TIMEOUT_NS} since the last delivery is "stalled": carrier off, frames refused,
 * "Guest Rx stalled" logged once; when slots appear again: "Guest Rx ready", carrier on
 * ({@code xenvif_rx_queue_stalled}/{@code _ready}, {@code xenvif_queue_carrier_off}/{@code _on}).
 * A guest cannot make us hold more memory than the queue's preallocated arena. A frontend without
 * {@code feature-rx-notify} gets a 30 ms drain timeout and no stall detection, as in Linux.
 *
 * <h2>Threads</h2>
 * {@link #offer} may run on any number of threads at once (every vif thread of a switch delivers
 * here) and {@link #doWork()} on the engine's own thread. Producers take turns through a
 * {@link ProducerGate} (one CAS to enter, one release store to leave, nothing allocated), which
 * makes the single-producer {@link RxFrameQueue} and the drop counters multi-producer; the
 * consumer side never takes the gate, so {@link #doWork()} never waits on a producer.
 */
public final class RxEngine implements FrameSink {
    /** Linux {@code RX_BATCH_SIZE}: packets per batch. */
    public static final int RX_BATCH_SIZE = 64;
    /** Linux {@code XENVIF_RX_QUEUE_BYTES}: half the ring, in pages. */
    public static final int RX_QUEUE_MAX_BYTES = Netif.RX_RING_SIZE / 2 * XenPage.SIZE;
    /** Largest frame the queue takes (a 64 KiB GSO frame plus an Ethernet header). */
    public static final int MAX_FRAME_BYTES = 0x10000 + 14;
    /** Frames the queue can hold however small they are. */
    public static final int FRAME_CAPACITY = 16384;
    /** Linux {@code rx_drain_timeout_msecs}. */
    public static final long DRAIN_TIMEOUT_NS = 10_000_000_000L;
    /** Linux {@code rx_stall_timeout_msecs}. */
    public static final long STALL_TIMEOUT_NS = 60_000_000_000L;
    /**
     * Drain timeout for a frontend without {@code feature-rx-notify}: it never kicks us when it
     * posts buffers, so Linux ({@code read_xenbus_vif_flags}) polls every 30 ms, drops frames that
     * waited that long, and turns stall detection off.
     */
    public static final long NO_RX_NOTIFY_DRAIN_TIMEOUT_NS = 30_000_000L;

    private static final Logger LOG = System.getLogger(RxEngine.class.getName());
    private static final long BROADCAST = 0xffff_ffff_ffffL;

    private final BackRing ring;
    private final AtomicBuffer shared;
    private final GrantTable grants;
    private final int domid;
    private final int queueNumber;
    private final Notifier notifier;
    private final VifFeatures features;
    private final MulticastList multicast;
    private final Clock clock;
    private final QueueListener listener;
    private final RxFrameQueue queue;
    private final RxCounters counters = new RxCounters();
    private final ProducerGate producers = new ProducerGate();
    private final long drainTimeoutNs;
    private final boolean stallDetection;
    private final GrantCopyBatch batch;
    private final RxRequest request = new RxRequest();
    /** Per segment of the batch: the ring index of the response it fills. */
    private final int[] segmentSlot;
    private final int[] frameSegStart = new int[RX_BATCH_SIZE];
    private final int[] frameSegEnd = new int[RX_BATCH_SIZE];
    /** Per staged frame: refused by the admission (no slots, no copy, released with the rest). */
    private final boolean[] refused = new boolean[RX_BATCH_SIZE];
    private RxAdmission admission = RxAdmission.ALL;

    private volatile boolean carrier = true;
    private volatile boolean stopped;
    private boolean stalled;
    private long lastRxNs;

    public RxEngine(BackRing ring, GrantTable grants, int domid, int queueNumber, Notifier notifier,
            VifFeatures features, MulticastList multicast, Clock clock, QueueListener listener) {
        if (ring.entryBytes() != Netif.RX_SLOT_BYTES) {
            throw new IllegalArgumentException("not an Rx ring: " + ring.entryBytes() + "-byte slots");
        }
        this.ring = ring;
        this.shared = ring.buffer();
        this.grants = grants;
        this.domid = domid;
        this.queueNumber = queueNumber;
        this.notifier = notifier;
        this.features = features;
        this.multicast = multicast;
        this.clock = clock;
        this.listener = listener;
        this.queue = new RxFrameQueue(RX_QUEUE_MAX_BYTES, MAX_FRAME_BYTES, FRAME_CAPACITY);
        this.drainTimeoutNs = features.rxNotify() ? DRAIN_TIMEOUT_NS : NO_RX_NOTIFY_DRAIN_TIMEOUT_NS;
        this.stallDetection = features.rxNotify();
        this.batch = new GrantCopyBatch(ring.size());
        this.segmentSlot = new int[ring.size()];
        this.lastRxNs = clock.nanoTime();
    }

    /** Set before the engine's thread starts (the vif's flows and snoop). */
    public void admission(RxAdmission a) {
        this.admission = a == null ? RxAdmission.ALL : a;
    }

    /**
     * Offers a frame from the world (Linux {@code xenvif_start_xmit} + {@code xenvif_rx_queue_tail}):
     * copied into the queue, or dropped and counted. Safe from several threads at once.
     *
     * @return whether the frame was queued
     */
    public boolean offer(long address, int length, FrameMetadata metadata) {
        return offer(address, length, metadata, FrameHash.NONE);
    }

    /**
     * As {@link #offer(long, int, FrameMetadata)}, with the receiving guest's own hash of the frame
     * ({@link FrameHash} result, from its control ring's settings): unless {@link FrameHash#NONE}
     * the frame is delivered with a HASH extra (Linux {@code xenvif_rx_next_skb} for an skb with
     * {@code sw_hash}: algorithm Toeplitz, the type and value the guest's settings gave).
     */
    public boolean offer(long address, int length, FrameMetadata metadata, long guestHash) {
        producers.enter();
        try {
            return offerExclusive(address, length, metadata, guestHash);
        } finally {
            producers.leave();
        }
    }

    private boolean offerExclusive(long address, int length, FrameMetadata metadata, long guestHash) {
        if (length <= 0) {
            counters.droppedInvalid++;
            return false;
        }
        if (!carrier || stopped) {
            counters.droppedCarrierOff++;
            return false;
        }
        if (length > MAX_FRAME_BYTES || (!features.sg() && length > XenPage.SIZE)) {
            counters.droppedOversize++;
            return false;
        }
        if (metadata.isGso() && !features.acceptsGso(metadata.gsoType())) {
            counters.droppedGsoUnsupported++;
            return false;
        }
        if (features.multicastControl() && length >= 6 && !multicastAccepted(address)) {
            counters.droppedMulticastFilter++;
            return false;
        }
        if (!queue.offer(address, length, metadata, guestHash, clock.nanoTime())) {
            counters.droppedQueueFull++;
            return false;
        }
        counters.enqueued++;
        return true;
    }

    /** {@link FrameSink}: {@link #offer}, so a Tx engine can feed this guest directly. */
    @Override
    public void onFrame(long address, int length, FrameMetadata metadata) {
        offer(address, length, metadata);
    }

    /** xenvif_mcast_match, applied as xenvif_start_xmit does: broadcast and unicast always pass. */
    private boolean multicastAccepted(long address) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (UnsafeAccess.UNSAFE.getByte(address + i) & 0xff);
        }
        boolean isMulticast = (mac >>> 40 & 1) != 0;
        return !isMulticast || mac == BROADCAST || multicast.contains(mac);
    }

    /**
     * One batch (xenvif_rx_action and the rest of the guest-Rx thread's loop): drop expired frames,
     * fill posted buffers for up to {@link #RX_BATCH_SIZE} frames, then the stall/ready check.
     *
     * @return frames handled (delivered or dropped) plus carrier transitions
     */
    public int doWork() {
        if (stopped) {
            return purge();
        }
        long now = clock.nanoTime();
        int work = dropExpired(now);
        int staged = stage();
        if (staged > 0) {
            if (batch.size() > 0) {
                grants.copy(batch);
            }
            complete(staged);
            queue.release(staged);
            lastRxNs = now;
            if (ring.pushResponsesAndCheckNotify()) {
                counters.notifications++;
                notifier.notifyGuest();
            } else {
                counters.notificationsSuppressed++;
            }
            work += staged;
        }
        return stallDetection ? work + checkStall(now) : work;
    }

    /** Build the responses and copy segments of as many queued frames as the posted slots take. */
    private int stage() {
        batch.clear();
        int queued = Math.min(queue.size(), RX_BATCH_SIZE);
        int staged = 0;
        while (staged < queued) {
            int f = queue.index(staged);
            int len = queue.length(f);
            int dataSlots = (len + XenPage.SIZE - 1) >>> XenPage.SHIFT;
            boolean gso = queue.gsoType(f) != 0;
            boolean hashed = queue.hash(f) != FrameHash.NONE;
            int needed = dataSlots + (gso ? 1 : 0) + (hashed ? 1 : 0);
            if (batch.capacity() - batch.size() < dataSlots || !slotsAvailable(needed)) {
                break;
            }
            frameSegStart[staged] = batch.size();
            refused[staged] = !admission.admit(queue.address(f), len);
            if (!refused[staged]) {
                fill(f, len, gso, hashed);
            }
            frameSegEnd[staged] = batch.size();
            staged++;
        }
        return staged;
    }

    /** xenvif_rx_skb for one frame; the caller checked that {@code needed} requests are posted. */
    private void fill(int f, int len, boolean gso, boolean hashed) {
        long source = queue.address(f);
        int remaining = len;
        int slot = 0;
        int cons = ring.requestConsumer();
        // xenvif_rx_extra_slot: the extras after the first data slot, GSO then HASH, each but the
        // last with XEN_NETIF_EXTRA_FLAG_MORE
        int extras = (gso ? 1 : 0) + (hashed ? 1 : 0);
        int extraFlag = extras > 0 ? NetRxFlags.EXTRA_INFO : 0;
        int checksum = queue.checksum(f);
        int csumFlags = (checksum & FrameMetadata.CSUM_BLANK) != 0
                ? NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED
                : (checksum & FrameMetadata.DATA_VALIDATED) != 0 ? NetRxFlags.DATA_VALIDATED : 0;
        do {
            int at = ring.entryOffset(cons);
            request.readFrom(shared, at); // copied once (XSA-155); the response overwrites the slot
            if (slot == 1 && gso) {
                ExtraInfo.writeGso(shared, at, hashed ? ExtraInfo.FLAG_MORE : 0, queue.gsoSize(f), queue.gsoType(f), 0);
            } else if (slot >= 1 && slot <= extras) {
                long h = queue.hash(f);
                ExtraInfo.writeHash(shared, at, 0, FrameHash.typeBit(h), NetifCtrl.HASH_ALGORITHM_TOEPLITZ,
                        FrameHash.value(h));
            } else {
                int chunk = Math.min(remaining, XenPage.SIZE);
                segmentSlot[batch.size()] = cons;
                batch.addToGuest(source, domid, request.gref(), 0, chunk);
                source += chunk;
                remaining -= chunk;
                int flags = remaining > 0 ? NetRxFlags.MORE_DATA : 0;
                if (slot == 0) {
                    flags |= csumFlags | extraFlag;
                }
                RxResponse.write(shared, at, request.id(), 0, flags, chunk);
            }
            cons++;
            slot++;
        } while (remaining > 0 || slot <= extras);
        counters.slots += slot;
        ring.requestConsumer(cons);
        ring.responseProducer(cons); // xenvif_rx_complete: responses up to req_cons are ready
    }

    /** xenvif_rx_copy_flush: a packet whose copy failed gets NETIF_RSP_ERROR in its data slots. */
    private void complete(int staged) {
        for (int n = 0; n < staged; n++) {
            boolean copied = true;
            for (int s = frameSegStart[n]; s < frameSegEnd[n]; s++) {
                if (batch.status(s) != GrantStatus.OKAY) {
                    copied = false;
                }
            }
            int f = queue.index(n);
            if (refused[n]) {
                counters.droppedAdmission++;
            } else if (copied) {
                counters.packets++;
                counters.bytes += queue.length(f);
            } else {
                counters.copyErrors++;
                for (int s = frameSegStart[n]; s < frameSegEnd[n]; s++) {
                    shared.putShort(ring.entryOffset(segmentSlot[s]) + RxResponse.STATUS_OFFSET,
                            (short) Netif.RSP_ERROR, ByteOrder.LITTLE_ENDIAN);
                }
            }
        }
    }

    /**
     * xenvif_rx_ring_slots_available: are {@code needed} requests posted? If not, ask to be kicked
     * at the next one ({@code req_event = req_prod + 1}, full fence, look again).
     */
    private boolean slotsAvailable(int needed) {
        for (int attempt = 0; attempt < 4; attempt++) { // bounded: a guest can move req_prod forever
            int prod = ring.requestProducer();
            if (ring.unconsumedRequests() >= needed) {
                return true;
            }
            ring.requestEvent(prod + 1);
            if (ring.requestProducer() == prod) {
                return false;
            }
        }
        return false;
    }

    /** xenvif_rx_queue_drop_expired. */
    private int dropExpired(long now) {
        int dropped = 0;
        while (queue.size() > dropped && dropped < FRAME_CAPACITY) {
            if (now - queue.enqueuedNs(queue.index(dropped)) < drainTimeoutNs) {
                break;
            }
            dropped++;
        }
        if (dropped > 0) {
            queue.release(dropped);
            counters.droppedExpired += dropped;
        }
        return dropped;
    }

    /** xenvif_rx_queue_stalled / _ready and the carrier. */
    private int checkStall(long now) {
        boolean noSlots = ring.requestProducer() == ring.requestConsumer();
        if (!stalled && noSlots && now - lastRxNs > STALL_TIMEOUT_NS) {
            stalled = true;
            carrier = false;
            counters.stalls++;
            LOG.log(Level.INFO, "vif {0}.{1}: Guest Rx stalled", domid, queueNumber);
            listener.onRxStalled(domid, queueNumber);
            return 1;
        }
        if (stalled && !noSlots) {
            stalled = false;
            lastRxNs = now;
            carrier = true;
            LOG.log(Level.INFO, "vif {0}.{1}: Guest Rx ready", domid, queueNumber);
            listener.onRxReady(domid, queueNumber);
            return 1;
        }
        return 0;
    }

    /**
     * Stops the engine (the vif was disabled or disconnected): frames are refused from now on and
     * the next {@link #doWork()} drops what is queued (xenvif_rx_queue_purge).
     */
    public void stop() {
        stopped = true;
        carrier = false;
    }

    private int purge() {
        int n = queue.size();
        if (n > 0) {
            queue.release(n);
            counters.droppedPurged += n;
        }
        return n;
    }

    /** Whether the queue's carrier is on (off while the guest is stalled or after {@link #stop()}). */
    public boolean carrier() {
        return carrier;
    }

    public boolean stalled() {
        return stalled;
    }

    /** Frames waiting for guest buffers. */
    public int queuedFrames() {
        return queue.size();
    }

    /** Bytes waiting for guest buffers (bounded by {@link #RX_QUEUE_MAX_BYTES} + one frame). */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    public RxCounters counters() {
        return counters;
    }
}
