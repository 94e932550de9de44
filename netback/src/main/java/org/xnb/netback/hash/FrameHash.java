package org.xnb.netback.hash;

import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_BIT;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_TCP;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_TCP_BIT;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_BIT;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_TCP;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_TCP_BIT;

/**
 * The guest's flow hash of a frame: the Toeplitz hash over the header fields that the hash flags
 * ({@code XEN_NETIF_CTRL_HASH_TYPE_*}) select, as Linux's {@code xenvif_set_skb_hash}: the
 * "maximal" type wins (IPv4+TCP for an unfragmented TCP segment when that flag is set, else IPv4
 * when that one is), and a frame no set flag covers has no hash. The input is the fields in wire
 * order: source address, destination address, then source and destination port (netif.h's
 * {@code Buffer[]}).
 *
 * <p>Results are one {@code long}, allocation-free: {@link #NONE}, or the hash type's bit number
 * ({@code _XEN_NETIF_CTRL_HASH_TYPE_*}, what a HASH extra carries) in bits 32..39 and the 32-bit
 * value below. Stateless and thread-safe.
 */
public final class FrameHash {
    /** No hash: the frame is not of a type the flags select. */
    public static final long NONE = -1L;
    /** All four hash types. */
    public static final int ALL_TYPES = HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP | HASH_TYPE_IPV6 | HASH_TYPE_IPV6_TCP;

    private static final ToeplitzTable SPREAD = ToeplitzTable.standard();

    private FrameHash() {
    }

    /** The hash the flags select for the frame at {@code address}, or {@link #NONE}. */
    public static long hash(ToeplitzTable key, int flags, long address, int length) {
        if ((flags & ALL_TYPES) == 0) {
            return NONE; // Linux's quick rejection: nothing to parse for
        }
        long fields = FlowFields.parse(address, length, false);
        switch (FlowFields.family(fields)) {
            case FlowFields.IPV4:
                return ipv4(key, flags, address, fields);
            case FlowFields.IPV6:
                return ipv6(key, flags, address, fields);
            default:
                return NONE;
        }
    }

    private static long ipv4(ToeplitzTable key, int flags, long address, long fields) {
        boolean tcp = FlowFields.portOffset(fields) != 0;
        if (tcp && (flags & HASH_TYPE_IPV4_TCP) != 0) {
            return result(HASH_TYPE_IPV4_TCP_BIT, addressesAndPorts(key, address, fields, 8));
        }
        if ((flags & HASH_TYPE_IPV4) != 0) {
            return result(HASH_TYPE_IPV4_BIT, key.hashAt(0, 0, address + FlowFields.addressOffset(fields), 8));
        }
        return NONE;
    }

    private static long ipv6(ToeplitzTable key, int flags, long address, long fields) {
        boolean tcp = FlowFields.portOffset(fields) != 0;
        if (tcp && (flags & HASH_TYPE_IPV6_TCP) != 0) {
            return result(HASH_TYPE_IPV6_TCP_BIT, addressesAndPorts(key, address, fields, 32));
        }
        if ((flags & HASH_TYPE_IPV6) != 0) {
            return result(HASH_TYPE_IPV6_BIT, key.hashAt(0, 0, address + FlowFields.addressOffset(fields), 32));
        }
        return NONE;
    }

    private static int addressesAndPorts(ToeplitzTable key, long address, long fields, int addressBytes) {
        int h = key.hashAt(0, 0, address + FlowFields.addressOffset(fields), addressBytes);
        return key.hashAt(h, addressBytes, address + FlowFields.portOffset(fields), 4);
    }

    private static long result(int typeBit, int value) {
        return (long) typeBit << 32 | (value & 0xffff_ffffL);
    }

    /** Whether {@code result} is a hash (not {@link #NONE}). */
    public static boolean present(long result) {
        return result != NONE;
    }

    /** The 32-bit hash value of a result ({@code 0} for {@link #NONE}, as Linux's cleared hash). */
    public static int value(long result) {
        return result == NONE ? 0 : (int) result;
    }

    /** The {@code _XEN_NETIF_CTRL_HASH_TYPE_*} bit number of a result; -1 for {@link #NONE}. */
    public static int typeBit(long result) {
        return result == NONE ? -1 : (int) (result >>> 32);
    }

    /**
     * The backend's own flow hash, for when the guest chose none: Toeplitz with the standard key
     * over the addresses and the TCP or UDP ports (so UDP flows spread too), 0 for frames that
     * are not IP. Frames of one flow always get the same value.
     */
    public static int spread(long address, int length) {
        long fields = FlowFields.parse(address, length, true);
        int family = FlowFields.family(fields);
        if (family == 0) {
            return 0;
        }
        int addressBytes = family == FlowFields.IPV4 ? 8 : 32;
        if (FlowFields.portOffset(fields) != 0) {
            return addressesAndPorts(SPREAD, address, fields, addressBytes);
        }
        return SPREAD.hashAt(0, 0, address + FlowFields.addressOffset(fields), addressBytes);
    }
}
