package org.xnb.vnic.stub;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnb.vnic.MacAddress;

/**
 * One VNIC's port on an {@link Etherstub}. {@link #send} is for one thread at a time (the VNIC's
 * lane); its counters are plain fields written by that thread, readable by others a little stale.
 * Subscriptions are control path.
 */
public final class StubPort implements AutoCloseable {
    /** Multicast groups one port may join: Linux netback's XEN_NETBK_MCAST_MAX. */
    public static final int MAX_GROUPS = 64;

    private final Etherstub stub;
    private final String name;
    private final long mac;
    private final int vlanId;
    private final FrameReceiver receiver;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean detached;
    /** Guarded by the etherstub's monitor; replaced, never mutated, so snapshots may keep it. */
    private long[] groups = new long[0];

    long unicast;
    long multicast;
    long deliveries;
    long unknown;
    long dropped;

    StubPort(Etherstub stub, String name, long mac, int vlanId, FrameReceiver receiver) {
        this.stub = stub;
        this.name = name;
        this.mac = mac;
        this.vlanId = vlanId;
        this.receiver = receiver;
    }

    /** Switches one frame (see {@link Etherstub}); allocation-free. */
    public void send(long address, int length) {
        stub.forward(this, address, length);
    }

    /**
     * Receive frames sent to multicast {@code group} in this port's VLAN.
     *
     * @return false if already subscribed
     * @throws IllegalArgumentException for a non-multicast or the broadcast address
     * @throws IllegalStateException    past {@link #MAX_GROUPS}
     */
    public boolean subscribe(long group) {
        if (!MacAddress.valid(group) || !MacAddress.isMulticast(group) || MacAddress.isBroadcast(group)) {
            throw new IllegalArgumentException(name + ": " + MacAddress.format(group)
                    + " is not a multicast group address (I/G bit set, not broadcast)");
        }
        synchronized (stub) {
            if (contains(group)) {
                return false;
            }
            if (groups.length == MAX_GROUPS) {
                throw new IllegalStateException(name + ": already in " + MAX_GROUPS + " multicast groups");
            }
            long[] next = Arrays.copyOf(groups, groups.length + 1);
            next[groups.length] = group;
            groups = next;
            if (!detached) {
                stub.republish();
            }
            return true;
        }
    }

    /** @return false if not subscribed */
    public boolean unsubscribe(long group) {
        synchronized (stub) {
            if (!contains(group)) {
                return false;
            }
            groups = Arrays.stream(groups).filter(g -> g != group).toArray();
            if (!detached) {
                stub.republish();
            }
            return true;
        }
    }

    private boolean contains(long group) {
        for (long g : groups) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** The groups subscribed to (the caller must not modify it). */
    long[] subscriptions() {
        return groups;
    }

    /** Detaches; after it returns the receiver is not called any more. */
    @Override
    public void close() {
        stub.detach(this);
    }

    public String name() {
        return name;
    }

    public long mac() {
        return mac;
    }

    public int vlanId() {
        return vlanId;
    }

    FrameReceiver receiver() {
        return receiver;
    }

    public boolean detached() {
        return detached;
    }

    /** Unicast frames delivered. */
    public long unicastSent() {
        return unicast;
    }

    /** Broadcast and multicast frames sent (delivered to 0..n ports). */
    public long multicastSent() {
        return multicast;
    }

    /** Deliveries made for this port's frames (a broadcast counts once per receiver). */
    public long deliveries() {
        return deliveries;
    }

    /** Unicast frames to no port of the VLAN (or to the sender itself). */
    public long unknownDestination() {
        return unknown;
    }

    /** Runts, tagged frames from a VLAN port, frames sent after detach. */
    public long dropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return name + " (" + MacAddress.format(mac) + (vlanId != 0 ? ", vlan " + vlanId : "") + ")";
    }
}
