package org.xnb.vnic.stub;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.Vnic;

/**
 * An etherstub: a virtual switch inside the process with no physical link. VNICs attached to it
 * ({@link #attach}) talk to each other directly: a frame a port {@link StubPort#send}s is handed
 * to the receivers it is for, on the sender's thread, without leaving the process.
 *
 * <h2>Forwarding</h2>
 * <ul>
 *   <li>A frame belongs to a VLAN: the sending port's VLAN id if it has one (the VNIC sends
 *       untagged; a tagged frame from such a port is dropped), else the 802.1Q tag's VLAN id if
 *       the frame is tagged, else 0 (untagged). Only ports of that VLAN receive it.</li>
 *   <li>Unicast goes to the port with that MAC in that VLAN: no learning, an etherstub knows its
 *       VNICs' addresses. An unknown destination is dropped and counted.</li>
 *   <li>Broadcast goes to every port of the VLAN; multicast only to the ports that
 *       {@link StubPort#subscribe subscribed} to the group.</li>
 *   <li>Never back to the sender.</li>
 * </ul>
 *
 * <h2>No lock on the frame path</h2>
 * The tables are an immutable {@link StubTable} snapshot behind one volatile field; attach,
 * detach, subscribe and unsubscribe take the etherstub's monitor and publish a new snapshot
 * (copy-on-write). Sending allocates nothing. Detach waits until no delivery to the port is in
 * flight: a sender that loaded an old snapshot increments the port's in-flight count before it
 * checks the port's detached mark, both volatile, so either it sees the mark or the detacher
 * sees the count; after {@link StubPort#close()} returns the receiver is never called again.
 */
public final class Etherstub {
    /** Ports on one etherstub at most. */
    public static final int MAX_PORTS = 1024;
    /** How long a detach waits for deliveries already under way (each is one bounded copy). */
    public static final long DETACH_WAIT_NS = 5_000_000_000L;
    private static final Logger LOG = System.getLogger(Etherstub.class.getName());

    private final String name;
    private volatile StubTable table = StubTable.EMPTY;

    public Etherstub(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Attaches a VNIC by its MAC and VLAN. */
    public StubPort attach(Vnic vnic, FrameReceiver receiver) {
        return attach(vnic.name(), vnic.mac(), vnic.vlanId(), receiver);
    }

    /**
     * Attaches a port.
     *
     * @param vlanId 0 = untagged, else 1..4094
     * @throws IllegalArgumentException if the MAC is taken in that VLAN, or not a unicast address
     * @throws IllegalStateException    when the etherstub is full
     */
    public synchronized StubPort attach(String portName, long mac, int vlanId, FrameReceiver receiver) {
        if (!MacAddress.valid(mac) || MacAddress.isMulticast(mac)) {
            throw new IllegalArgumentException(portName + ": " + MacAddress.format(mac) + " is not a unicast MAC");
        }
        if (vlanId < 0 || vlanId > Vnic.MAX_VLAN) {
            throw new IllegalArgumentException(portName + ": VLAN id " + vlanId + " is not in 0.." + Vnic.MAX_VLAN);
        }
        StubTable now = table;
        if (now.ports.length == MAX_PORTS) {
            throw new IllegalStateException(name + ": " + MAX_PORTS + " ports already");
        }
        StubPort taken = now.unicast.get(StubTable.key(vlanId, mac));
        if (taken != null) {
            throw new IllegalArgumentException(portName + ": " + MacAddress.format(mac) + " is already used by "
                    + taken.name() + " on " + name + (vlanId != 0 ? " in VLAN " + vlanId : ""));
        }
        StubPort p = new StubPort(this, portName, mac, vlanId, Objects.requireNonNull(receiver, "receiver"));
        StubPort[] next = Arrays.copyOf(now.ports, now.ports.length + 1);
        next[now.ports.length] = p;
        table = new StubTable(next);
        return p;
    }

    synchronized void detach(StubPort p) {
        StubTable now = table;
        int at = -1;
        for (int i = 0; i < now.ports.length; i++) {
            if (now.ports[i] == p) {
                at = i;
            }
        }
        if (at < 0) {
            return;
        }
        p.detached = true;
        StubPort[] next = new StubPort[now.ports.length - 1];
        System.arraycopy(now.ports, 0, next, 0, at);
        System.arraycopy(now.ports, at + 1, next, at, next.length - at);
        table = new StubTable(next);
        long deadline = System.nanoTime() + DETACH_WAIT_NS;
        while (p.inFlight.get() != 0) {
            if (System.nanoTime() - deadline > 0) {
                LOG.log(Level.ERROR, "{0}: a delivery to {1} did not finish within {2} ms", name, p.name(),
                        DETACH_WAIT_NS / 1_000_000);
                throw new IllegalStateException(p.name() + ": a delivery did not finish in time");
            }
            Thread.yield();
        }
    }

    /** After a port's subscriptions changed (the caller holds the monitor). */
    void republish() {
        table = new StubTable(table.ports);
    }

    /** The frame path; see the class comment. */
    void forward(StubPort from, long address, int length) {
        if (length < StubFrames.ETH_HLEN || from.detached) {
            from.dropped++;
            return;
        }
        int vlan = from.vlanId();
        if (StubFrames.isTagged(address)) {
            if (vlan != 0 || length < StubFrames.ETH_HLEN + StubFrames.VLAN_HLEN) {
                from.dropped++; // a VLAN VNIC sends untagged; a truncated tag is a runt
                return;
            }
            vlan = StubFrames.taggedVlan(address);
        }
        long dst = StubFrames.destination(address);
        StubTable t = table;
        if (MacAddress.isMulticast(dst)) {
            StubPort[] to = MacAddress.isBroadcast(dst) ? t.members.get(vlan) : t.groups.get(StubTable.key(vlan, dst));
            int n = 0;
            if (to != null) {
                for (StubPort p : to) {
                    if (p != from && deliver(p, address, length, vlan)) {
                        n++;
                    }
                }
            }
            from.multicast++;
            from.deliveries += n;
            return;
        }
        StubPort p = t.unicast.get(StubTable.key(vlan, dst));
        if (p == null || p == from) {
            from.unknown++;
            return;
        }
        if (deliver(p, address, length, vlan)) {
            from.unicast++;
            from.deliveries++;
        }
    }

    private static boolean deliver(StubPort to, long address, int length, int vlan) {
        to.inFlight.incrementAndGet();
        try {
            if (to.detached) {
                return false;
            }
            to.receiver().onFrame(address, length, vlan);
            return true;
        } finally {
            to.inFlight.decrementAndGet();
        }
    }

    public String name() {
        return name;
    }

    /** The ports now attached (a copy). */
    public StubPort[] ports() {
        return table.ports.clone();
    }

    @Override
    public String toString() {
        return name;
    }
}
