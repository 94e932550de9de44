package org.xnb.netback.flow;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrona.DirectBuffer;
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
 * <p>maxbw per flow polices: a frame that finds its flow's bucket (one per direction, as Crossbow
 * gives a flow an Rx and a Tx soft ring set) without the tokens is dropped and counted. Deferring
 * it instead would stall the lane, and with it every other flow of the VNIC, behind one flow's
 * limit (the Tx ring and the Rx queue are FIFO); TCP takes the drops as congestion and settles at
 * the limit. The bucket's burst is the larger of 128 KiB and 10 ms of the rate, so a TCP window
 * can pass in a burst at the limit.
 *
 * <p>The lane sees a change through one volatile read per frame ({@link #generation}) and then
 * rebuilds its bucket arrays (allocation on control changes only, never per frame); a flow's bucket
 * survives a rebuild when its rate is unchanged. Counters: one writer, the lane's thread.
 */
public final class LinkFlows {
    private final FlowTable table;
    private volatile long generation;

    // lane-owned
    private long seen = -1;
    private FlowClassifier classifier;
    private TokenBucket[] inBuckets = new TokenBucket[0];
    private TokenBucket[] outBuckets = new TokenBucket[0];
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

    /**
     * Classifies a frame, counts it to its flow and polices the flow's maxbw; whether the frame
     * goes on. Frames of no flow (the default flow) always go on.
     *
     * @param inbound true for a frame delivered to the guest, false for one the guest sent
     */
    public boolean admit(DirectBuffer frame, int offset, int length, boolean inbound) {
        long g = generation;
        if (g != seen) {
            rebuild(g);
        }
        FlowClassifier c = classifier;
        if (c.size() == 0) {
            return true;
        }
        int i = c.classify(frame, offset, length, inbound);
        if (i == FlowClassifier.NO_FLOW) {
            return true;
        }
        Flow flow = c.flow(i);
        TokenBucket b = inbound ? inBuckets[i] : outBuckets[i];
        if (b != null && !b.tryConsume(length, System.nanoTime())) {
            flow.counters().drop();
            drops++;
            return false;
        }
        if (inbound) {
            flow.counters().inbound(length);
        } else {
            flow.counters().outbound(length);
        }
        return true;
    }

    /** Frames dropped by a flow's maxbw (the lane's thread writes it; others may read a late value). */
    public long drops() {
        return drops;
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
        }
        classifier = next;
        inBuckets = in;
        outBuckets = out;
    }
}
