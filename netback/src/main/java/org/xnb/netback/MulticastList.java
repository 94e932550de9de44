package org.xnb.netback;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The multicast addresses a guest subscribed to with MCAST_ADD/MCAST_DEL extras (Linux
 * {@code xenvif_mcast_add}/{@code _del}/{@code _match}): at most {@link #MAX} (XEN_NETBK_MCAST_MAX)
 * 48-bit addresses in a fixed array, so the data path never allocates for it. Like Linux, an
 * address added twice is listed twice and a delete removes one copy.
 *
 * <p>Threads: writers (the lanes of a vif's queues processing Tx extras; rare, so they take turns
 * on this object's monitor) and any number of readers (every
 * thread offering frames to the vif's Rx engine, through a switch). A sequence lock keeps
 * readers from seeing a half-done change (a delete moves the last address into the freed slot,
 * so a reader racing it could miss an address that stays subscribed): the writer makes
 * {@code version} odd, changes the array, makes it even again; a reader that saw an odd or
 * changed version looks again. Nothing is allocated on either side. {@link #MAX_READ_ATTEMPTS}
 * bounds a reader's retries; the writer's change is a few stores, so they never run out in practice.
 */
public final class MulticastList {
    /** {@code XEN_NETBK_MCAST_MAX}. */
    public static final int MAX = 64;
    /** Bound on a reader's retries while the writer changes the list. */
    public static final int MAX_READ_ATTEMPTS = 1 << 20;
    private static final long MAC_MASK = 0xffff_ffff_ffffL;
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(MulticastList.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] addresses = new long[MAX];
    private int count;
    @SuppressWarnings("unused") // through VERSION
    private volatile long version;

    private void beginWrite() {
        VERSION.setVolatile(this, version + 1);
        VarHandle.storeStoreFence();
    }

    private void endWrite() {
        VERSION.setRelease(this, version + 1);
    }

    /**
     * Adds an address ({@code addr[0]} in the most significant of 48 bits).
     *
     * @return false if the list is full (Linux answers the request NETIF_RSP_ERROR)
     */
    public synchronized boolean add(long mac) {
        if (count == MAX) {
            return false;
        }
        beginWrite();
        addresses[count] = mac & MAC_MASK;
        count++;
        endWrite();
        return true;
    }

    /** Removes one copy of an address; unknown addresses are ignored (answered OKAY, as Linux). */
    public synchronized void remove(long mac) {
        long m = mac & MAC_MASK;
        for (int i = 0; i < count; i++) {
            if (addresses[i] == m) {
                beginWrite();
                addresses[i] = addresses[count - 1];
                count--;
                endWrite();
                return;
            }
        }
    }

    /** Any thread. */
    public boolean contains(long mac) {
        long m = mac & MAC_MASK;
        boolean found = false;
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            long v = (long) VERSION.getAcquire(this);
            if ((v & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            found = false;
            int n = Math.min(count, MAX);
            for (int i = 0; i < n; i++) {
                if (addresses[i] == m) {
                    found = true;
                    break;
                }
            }
            VarHandle.loadLoadFence();
            if ((long) VERSION.getVolatile(this) == v) {
                return found;
            }
        }
        return found;
    }

    /** Any thread (exact only on the writer's thread). */
    public int size() {
        return count;
    }

    /** Empties the list (the frontend disconnected). */
    public synchronized void clear() {
        beginWrite();
        count = 0;
        endWrite();
    }
}
