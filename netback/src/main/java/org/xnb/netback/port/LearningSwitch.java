package org.xnb.netback.port;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;

/**
 * An in-process Ethernet learning switch between vifs (the etherstub of the architecture page):
 * it learns source MAC -> vif from every frame a vif sends, forwards unicast to the vif that
 * owns the destination, and floods broadcast, multicast and unknown unicast to every other vif,
 * never back to the sender. A vif with multicast control filters the flooded multicast itself
 * ({@code RxEngine.offer} keeps only groups in its {@code MulticastList}), so the switch does not
 * duplicate that rule.
 *
 * <h2>Hot path</h2>
 * The member array and the {@link MacTable} are immutable snapshots published through volatile
 * fields: a frame costs two volatile loads, two table probes, and per receiver one atomic
 * increment/decrement of its in-flight count; no lock, nothing allocated. Learning a new address
 * or a moved one, attaching and detaching take the switch's monitor and publish new snapshots
 * (copy-on-write). The table holds at most {@link #MAX_ADDRESSES}; past that new addresses are
 * not learned and their frames are flooded (a guest inventing source addresses cannot grow our
 * memory). Learned entries do not age; they go when their vif detaches or the address moves.
 *
 * <h2>Detach</h2>
 * {@link PortLink#close()} marks the member detached, publishes snapshots without it, then waits
 * until no delivery to it is in flight (a sender that loaded the old snapshot increments the
 * in-flight count before checking the mark: with both volatile, either it sees the mark or the
 * detacher sees the count). After that the member's receiver is never called again.
 */
public final class LearningSwitch implements Port {
    /** Learned addresses held at most. */
    public static final int MAX_ADDRESSES = 4096;
    /** How long a detach waits for deliveries already under way (each is one bounded copy). */
    public static final long DETACH_WAIT_NS = 5_000_000_000L;
    private static final Logger LOG = System.getLogger(LearningSwitch.class.getName());

    private volatile Member[] members = new Member[0];
    private volatile MacTable<Member> table = MacTable.empty();

    @Override
    public synchronized PortLink attach(String name, long mac, FrameSink receiver) {
        Member m = new Member(name, receiver);
        Member[] now = members;
        Member[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = m;
        members = next;
        if (mac >= 0 && !MacAddress.isGroup(mac)) {
            learn(m, mac);
        }
        return m;
    }

    /** Vifs attached now. */
    public int memberCount() {
        return members.length;
    }

    /** Addresses learned now. */
    public int addressCount() {
        return table.size();
    }

    /** The name of the vif that owns {@code mac}, or null. */
    public String ownerOf(long mac) {
        Member m = table.get(mac);
        return m == null ? null : m.name;
    }

    private synchronized void learn(Member m, long mac) {
        if (m.detached || table.get(mac) == m) {
            return;
        }
        MacTable<Member> t = table;
        if (t.get(mac) == null && t.size() >= MAX_ADDRESSES) {
            m.notLearned++;
            return;
        }
        table = t.with(mac, m);
    }

    private synchronized void detach(Member m) {
        if (m.detached) {
            return;
        }
        m.detached = true;
        Member[] now = members;
        Member[] next = new Member[now.length - 1];
        int j = 0;
        for (Member x : now) {
            if (x != m) {
                next[j++] = x;
            }
        }
        members = next;
        table = table.without(v -> v == m);
        long deadline = System.nanoTime() + DETACH_WAIT_NS;
        while (m.inFlight.get() != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(m.name + ": a delivery did not finish within "
                        + DETACH_WAIT_NS / 1_000_000 + " ms");
            }
            Thread.yield();
        }
    }

    private void forward(Member from, long address, int length, FrameMetadata metadata) {
        if (length < MacAddress.ETH_HLEN || from.detached) {
            from.dropped++;
            return;
        }
        long src = MacAddress.read(address, MacAddress.SOURCE);
        if (!MacAddress.isGroup(src) && table.get(src) != from) {
            learn(from, src);
        }
        long dst = MacAddress.read(address, MacAddress.DESTINATION);
        if (!MacAddress.isGroup(dst)) {
            Member to = table.get(dst);
            if (to == from) {
                from.dropped++; // the destination sits behind the sender: never send it back
                return;
            }
            if (to != null) {
                from.unicast++;
                deliver(to, address, length, metadata);
                return;
            }
        }
        from.flooded++;
        for (Member to : members) {
            if (to != from) {
                deliver(to, address, length, metadata);
            }
        }
    }

    private static void deliver(Member to, long address, int length, FrameMetadata metadata) {
        to.inFlight.incrementAndGet();
        try {
            if (!to.detached) {
                to.receiver.onFrame(address, length, metadata);
            }
        } finally {
            to.inFlight.decrementAndGet();
        }
    }

    /**
     * One attached vif. The counters are written only by the vif's own thread (its Tx frames);
     * others may read them, possibly a little stale.
     */
    final class Member implements PortLink {
        final String name;
        final FrameSink receiver;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean detached;
        long unicast;
        long flooded;
        long dropped;
        long notLearned;

        Member(String name, FrameSink receiver) {
            this.name = name;
            this.receiver = receiver;
        }

        @Override
        public void onFrame(long address, int length, FrameMetadata metadata) {
            forward(this, address, length, metadata);
        }

        @Override
        public void close() {
            detach(this);
            LOG.log(Level.DEBUG, "switch: {0} detached (sent {1} unicast, {2} flooded, {3} dropped)", name, unicast,
                    flooded, dropped);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
