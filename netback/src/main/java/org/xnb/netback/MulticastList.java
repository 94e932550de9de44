package org.xnb.netback;

/**
 * The multicast addresses a guest subscribed to with MCAST_ADD/MCAST_DEL extras (Linux
 * {@code xenvif_mcast_add}/{@code _del}/{@code _match}): at most {@link #MAX} (XEN_NETBK_MCAST_MAX)
 * 48-bit addresses in a fixed array, so the data path never allocates for it. Like Linux, an
 * address added twice is listed twice and a delete removes one copy.
 *
 * <p>Not thread-safe: the vif's queue that processes Tx extras owns it.
 */
public final class MulticastList {
    /** {@code XEN_NETBK_MCAST_MAX}. */
    public static final int MAX = 64;
    private static final long MAC_MASK = 0xffff_ffff_ffffL;

    private final long[] addresses = new long[MAX];
    private int count;

    /**
     * Adds an address ({@code addr[0]} in the most significant of 48 bits).
     *
     * @return false if the list is full (Linux answers the request NETIF_RSP_ERROR)
     */
    public boolean add(long mac) {
        if (count == MAX) {
            return false;
        }
        addresses[count++] = mac & MAC_MASK;
        return true;
    }

    /** Removes one copy of an address; unknown addresses are ignored (answered OKAY, as Linux). */
    public void remove(long mac) {
        long m = mac & MAC_MASK;
        for (int i = 0; i < count; i++) {
            if (addresses[i] == m) {
                addresses[i] = addresses[--count];
                return;
            }
        }
    }

    public boolean contains(long mac) {
        long m = mac & MAC_MASK;
        for (int i = 0; i < count; i++) {
            if (addresses[i] == m) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return count;
    }

    /** Empties the list (the frontend disconnected). */
    public void clear() {
        count = 0;
    }
}
