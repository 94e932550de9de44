package org.xnb.netback.flow;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrona.DirectBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.rx.RxEngine;
import org.xnb.netback.rx.RxFrameQueue;
import org.xnb.vnic.flow.Flow;
import org.xnb.vnic.flow.FlowClassifier;
import org.xnb.vnic.flow.FlowException;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.flow.FlowTable;
import org.xnb.vnic.lane.TokenBucket;

/**
 * The flows of one VNIC (flowadm on a live vif) and their enforcement in that VNIC's lane.
 *
 * <pre>
 *  control (admin thread)          add / remove / properties  -> FlowTable (its lock) ; generation++
 *  data (the lane's thread only)   admit(frame, inbound)      -> FlowClassifier (snapshot, no lock)
 *                                     -> flow's counters ; its maxbw bucket for that direction
 * </pre>
 *
 * <p>maxbw per flow, a token bucket per direction (as Crossbow gives a flow an Rx and a Tx soft ring
 * set; burst: the larger of 128 KiB and 10 ms of the rate):
 * <ul>
 *   <li>What the guest sends is shaped: a frame over the limit is copied into the flow's own
 *       bounded backlog ({@link #backlogBytes}: up to 1 s of the rate) and sent when the bucket
 *       refills ({@link #releaseDeferred}, the lane wakes for it at {@link #nextReleaseNs}); only a
 *       full backlog drops, and CoDel drops single frames from its head when they wait too long
 *       ({@link #codelDrop}). Holding the frame in the Tx ring instead would stall every other flow of
 *       the VNIC behind this one; dropping at once (policing) starves TCP: its GSO bursts lost whole,
 *       iperf3 made 7 Mbit/s of a 50 Mbit/s flow. With a backlog TCP sees a bottleneck queue and
 *       settles at the limit, as it does behind Crossbow's flow soft ring set.</li>
 *   <li>What the guest receives is policed: a frame without the tokens is dropped when the Rx
 *       engine is about to copy it (the Rx queue is one FIFO for all flows, filled by other
 *       threads: no place to hold one flow's frames without holding the rest).</li>
 * </ul>
 *
 * <p>The lane sees a change through one volatile read per frame ({@link #generation}) and then
 * rebuilds its bucket arrays (allocation on control changes only, never per frame); a flow's bucket
 * survives a rebuild when its rate is unchanged. Counters: one writer, the lane's thread.
 */
public final class LinkFlows {
    /** Largest frame a backlog takes (a 64 KiB GSO frame and its Ethernet header). */
    static final int MAX_FRAME = RxEngine.MAX_FRAME_BYTES;
    static final int BACKLOG_FRAMES = 4096;
    /** Frames one flow releases per batch (bounds the lane's work). */
    static final int RELEASE_BATCH = 64;

    /**
     * A flow's outbound backlog, the hard bound behind CoDel: 1 s of its rate, at least 256 KiB, at
     * most 4 MiB (Linux's largest default TCP send buffer, tcp_wmem). With a plain 100 ms drop-tail
     * queue, TCP's slow start overflowed it: whole GSO frames lost in a row, retransmission timeouts,
     * iperf3 at 44 of 50 Mbit/s; with a plain 1 s queue nothing was lost but a receiver counted
     * 46.5 (the queue still held 0.6 s of data when the sender stopped).
     */
    static long backlogBytes(long bitsPerSecond) {
        return Math.min(4L << 20, Math.max(256L << 10, bitsPerSecond / 8));
    }

    private final FlowTable table;
    private volatile long generation;
    /**
     * Whether frames must take the flows' path: a flow was added and the lane has not yet seen the
     * table empty with nothing waiting. Read per frame without any lock ({@link #engaged}), so a
     * vif without flows pays one volatile read and its queues' lanes share nothing here.
     */
    private volatile boolean engaged;

    // lane-owned
    private long seen = -1;
    private FlowClassifier classifier;
    private TokenBucket[] inBuckets = new TokenBucket[0];
    private TokenBucket[] outBuckets = new TokenBucket[0];
    /** Per flow with an outbound maxbw: the guest's frames waiting for tokens. */
    private RxFrameQueue[] backlogs = new RxFrameQueue[0];
    // CoDel per backlog (reset when the flows change)
    private long[] targetNs = new long[0];
    private long[] intervalNs = new long[0];
    private long[] aboveUntilNs = new long[0];
    private long[] dropNextNs = new long[0];
    private int[] dropCount = new int[0];
    private boolean[] dropping = new boolean[0];
    private final FrameMetadata meta = new FrameMetadata();
    private long deferred;
    private long drops;

    public LinkFlows(String link) {
        this.table = new FlowTable(link);
    }

    public String link() {
        return table.link();
    }

    // ---- control path ----

    /** add-flow; throws {@link FlowException} (or PropertyException) saying which rule it breaks. */
    public synchronized Flow add(String name, FlowSpec spec, FlowProperties properties) {
        Flow f = table.add(name, spec, properties);
        generation++;
        engaged = true;
        return f;
    }

    public synchronized boolean remove(String name) {
        boolean removed = table.remove(name);
        generation++;
        return removed;
    }

    public Optional<Flow> find(String name) {
        return table.find(name);
    }

    public List<Flow> flows() {
        return table.flows();
    }

    /** set-flowprop / reset-flowprop: the lane picks up a new maxbw at its next frame. */
    public synchronized void properties(Flow flow, FlowProperties p) {
        flow.properties(p);
        generation++;
    }

    // ---- data path: the lane's thread ----

    /** False while no flow exists (and none left frames waiting): frames may skip the flows. */
    public boolean engaged() {
        return engaged;
    }

    /**
     * After a frame or a release (the lane's turn): with no flow left, the last change seen and
     * nothing waiting, frames skip the flows again. A flow added meanwhile keeps them engaged.
     */
    public void disengageIfIdle() {
        long g = generation;
        if (g == seen && deferred == 0 && classifier != null && classifier.size() == 0) {
            synchronized (this) { // against add(): only the generation we checked may disengage
                if (generation == g) {
                    engaged = false;
                }
            }
        }
    }

    /** {@link #outbound}: the frame goes on now. */
    public static final int PASS = 0;
    /** {@link #outbound}: the frame waits in its flow's backlog ({@link #releaseDeferred} sends it). */
    public static final int DEFERRED = 1;
    /** {@link #outbound}: the frame is dropped (its flow's backlog is full) and counted. */
    public static final int DROPPED = 2;

    /**
     * A frame delivered to the guest: classified, counted to its flow, policed by the flow's inbound
     * maxbw (a frame without the tokens is dropped and counted). Frames of no flow always go on.
     */
    public boolean admitInbound(DirectBuffer frame, int offset, int length) {
        int i = classify(frame, offset, length, true);
        if (i == FlowClassifier.NO_FLOW) {
            return true;
        }
        Flow flow = classifier.flow(i);
        TokenBucket b = inBuckets[i];
        if (b != null && !b.tryConsume(length, System.nanoTime())) {
            flow.counters().drop();
            drops++;
            return false;
        }
        flow.counters().inbound(length);
        return true;
    }

    /**
     * A frame the guest sent, at {@code address} (viewed by {@code frame}): classified and shaped by
     * its flow's maxbw. Within the limit (and nothing of the flow waiting) it passes; over it, it is
     * copied into the flow's backlog; with the backlog full it is dropped and counted.
     *
     * @return {@link #PASS}, {@link #DEFERRED} or {@link #DROPPED}
     */
    public int outbound(DirectBuffer frame, int offset, int length, long address, FrameMetadata metadata) {
        int i = classify(frame, offset, length, false);
        if (i == FlowClassifier.NO_FLOW) {
            return PASS;
        }
        Flow flow = classifier.flow(i);
        TokenBucket b = outBuckets[i];
        if (b == null) {
            flow.counters().outbound(length);
            return PASS;
        }
        RxFrameQueue q = backlogs[i];
        long now = System.nanoTime();
        if (q.size() == 0 && b.tryConsume(length, now)) {
            flow.counters().outbound(length);
            return PASS;
        }
        if (length <= MAX_FRAME && q.offer(address, length, metadata, now)) {
            deferred++;
            return DEFERRED;
        }
        flow.counters().drop();
        drops++;
        return DROPPED;
    }

    /** Sends on what the flows' buckets allow of their backlogs, oldest first; frames sent. */
    public int releaseDeferred(FrameSink next) {
        if (deferred == 0) {
            return 0;
        }
        long now = System.nanoTime();
        int sent = 0;
        for (int i = 0; i < backlogs.length; i++) {
            RxFrameQueue q = backlogs[i];
            if (q == null) {
                continue;
            }
            int n = 0;
            int queued = q.size();
            while (n < queued && n < RELEASE_BATCH) {
                int f = q.index(n);
                int len = q.length(f);
                if (codelDrop(i, now - q.enqueuedNs(f), now)) {
                    classifier.flow(i).counters().drop();
                    drops++;
                    n++;
                    continue;
                }
                if (!outBuckets[i].tryConsume(len, now)) {
                    break;
                }
                meta.reset().gso(q.gsoType(f), q.gsoSize(f)).checksum(q.checksum(f));
                next.onFrame(q.address(f), len, meta);
                classifier.flow(i).counters().outbound(len);
                n++;
            }
            if (n > 0) {
                q.release(n);
                deferred -= n;
                sent += n;
            }
        }
        return sent;
    }

    /**
     * CoDel (RFC 8289) on a flow's backlog, judged on the head frame's sojourn time: once frames have
     * waited longer than the target for a whole interval, one frame is dropped from the head, then
     * more at interval/sqrt(count) while it lasts. TCP takes single losses as congestion and
     * recovers by fast retransmit; the standing queue stays near the target, so the flow's latency
     * stays low and a receiver's count is not short by a full backlog at the end of a transfer.
     */
    private boolean codelDrop(int i, long sojournNs, long now) {
        if (sojournNs < targetNs[i]) {
            aboveUntilNs[i] = 0;
            dropping[i] = false;
            return false;
        }
        if (aboveUntilNs[i] == 0) {
            aboveUntilNs[i] = now + intervalNs[i];
            return false;
        }
        if (!dropping[i]) {
            if (now - aboveUntilNs[i] < 0) {
                return false;
            }
            dropping[i] = true;
            dropCount[i] = dropCount[i] > 2 ? dropCount[i] - 2 : 1;
            dropNextNs[i] = now + (long) (intervalNs[i] / Math.sqrt(dropCount[i]));
            return true;
        }
        if (now - dropNextNs[i] < 0) {
            return false;
        }
        dropCount[i]++;
        dropNextNs[i] += (long) (intervalNs[i] / Math.sqrt(dropCount[i]));
        return true;
    }

    /** CoDel's target for a flow: 5 ms, or two of the largest frames at its rate if longer. */
    static long targetNs(long bitsPerSecond) {
        return Math.max(5_000_000L, 2L * MAX_FRAME * 8 * 1_000_000_000L / bitsPerSecond);
    }

    /** CoDel's interval: 100 ms, or four targets if longer. */
    static long intervalNs(long bitsPerSecond) {
        return Math.max(100_000_000L, 4 * targetNs(bitsPerSecond));
    }

    /** When the next deferred frame may go (nanoTime), or -1 when nothing waits. */
    public long nextReleaseNs() {
        if (deferred == 0) {
            return -1;
        }
        long now = System.nanoTime();
        long at = Long.MAX_VALUE;
        for (int i = 0; i < backlogs.length; i++) {
            RxFrameQueue q = backlogs[i];
            if (q != null && q.size() > 0) {
                at = Math.min(at, outBuckets[i].readyAtNs(now, q.length(q.index(0))));
            }
        }
        return at == Long.MAX_VALUE ? -1 : at;
    }

    /** Frames waiting in the flows' backlogs. */
    public long deferred() {
        return deferred;
    }

    /** Frames dropped by the flows (over an inbound maxbw, an outbound backlog full, a flow removed with frames waiting). */
    public long drops() {
        return drops;
    }

    private int classify(DirectBuffer frame, int offset, int length, boolean inbound) {
        long g = generation;
        if (g != seen) {
            rebuild(g);
        }
        FlowClassifier c = classifier;
        return c.size() == 0 ? FlowClassifier.NO_FLOW : c.classify(frame, offset, length, inbound);
    }

    private void rebuild(long g) {
        seen = g;
        FlowClassifier next = table.classifier();
        Map<Flow, Integer> old = new IdentityHashMap<>();
        if (classifier != null) {
            for (int i = 0; i < classifier.size(); i++) {
                old.put(classifier.flow(i), i);
            }
        }
        TokenBucket[] in = new TokenBucket[next.size()];
        TokenBucket[] out = new TokenBucket[next.size()];
        RxFrameQueue[] queues = new RxFrameQueue[next.size()];
        boolean[] kept = new boolean[backlogs.length];
        long now = System.nanoTime();
        for (int i = 0; i < next.size(); i++) {
            Flow f = next.flow(i);
            if (f.properties().maxbw().isEmpty()) {
                continue;
            }
            long bits = f.properties().maxbw().getAsLong();
            Integer was = old.get(f);
            in[i] = was != null && inBuckets[was] != null && inBuckets[was].bitsPerSecond() == bits / 8 * 8
                    ? inBuckets[was] : new TokenBucket(bits, now);
            out[i] = was != null && outBuckets[was] != null && outBuckets[was].bitsPerSecond() == bits / 8 * 8
                    ? outBuckets[was] : new TokenBucket(bits, now);
            if (was != null && backlogs[was] != null) {
                queues[i] = backlogs[was]; // frames waiting keep their order under the new rate
                kept[was] = true;
            } else {
                queues[i] = new RxFrameQueue((int) backlogBytes(bits), MAX_FRAME, BACKLOG_FRAMES);
            }
        }
        for (int i = 0; i < backlogs.length; i++) { // a flow gone or unlimited: what waited is dropped
            RxFrameQueue q = backlogs[i];
            if (q != null && !kept[i] && q.size() > 0) {
                int n = q.size();
                q.release(n);
                deferred -= n;
                drops += n;
            }
        }
        classifier = next;
        inBuckets = in;
        outBuckets = out;
        backlogs = queues;
        targetNs = new long[next.size()];
        intervalNs = new long[next.size()];
        aboveUntilNs = new long[next.size()];
        dropNextNs = new long[next.size()];
        dropCount = new int[next.size()];
        dropping = new boolean[next.size()];
        for (int i = 0; i < next.size(); i++) {
            if (out[i] != null) {
                targetNs[i] = targetNs(out[i].bitsPerSecond());
                intervalNs[i] = intervalNs(out[i].bitsPerSecond());
            }
        }
    }
}
