package org.xnb.netback.vnic;

import org.agrona.UnsafeAccess;

/**
 * 802.1Q tags on frames in native memory, in place, for a VNIC with a VLAN id: the kernel's frames
 * are untagged, the link carries them tagged. Nothing allocated; the 12 address bytes move by 4.
 */
final class VlanTag {
    static final int BYTES = 4;
    private static final int TPID = 0x8100;

    private VlanTag() {
    }

    /** Whether the frame carries an 802.1Q tag with {@code vid}. */
    static boolean carries(long address, int length, int vid) {
        if (length < 12 + BYTES + 2) {
            return false;
        }
        return u16(address + 12) == TPID && (u16(address + 14) & 0xfff) == vid;
    }

    /**
     * Tags the frame at {@code address}, which must have 4 writable bytes before it: the addresses
     * move 4 bytes back, the tag follows them. Returns the tagged frame's address.
     */
    static long insert(long address, int vid) {
        long first = UnsafeAccess.UNSAFE.getLong(address);
        int rest = UnsafeAccess.UNSAFE.getInt(address + 8);
        long to = address - BYTES;
        UnsafeAccess.UNSAFE.putLong(to, first);
        UnsafeAccess.UNSAFE.putInt(to + 8, rest);
        putU16(to + 12, TPID);
        putU16(to + 14, vid & 0xfff);
        return to;
    }

    /** Removes the tag of a tagged frame: the addresses move 4 bytes on; returns the untagged frame's address. */
    static long remove(long address) {
        long first = UnsafeAccess.UNSAFE.getLong(address);
        int rest = UnsafeAccess.UNSAFE.getInt(address + 8);
        long to = address + BYTES;
        UnsafeAccess.UNSAFE.putLong(to, first);
        UnsafeAccess.UNSAFE.putInt(to + 8, rest);
        return to;
    }

    private static int u16(long at) {
        return (UnsafeAccess.UNSAFE.getByte(at) & 0xff) << 8 | UnsafeAccess.UNSAFE.getByte(at + 1) & 0xff;
    }

    private static void putU16(long at, int v) {
        UnsafeAccess.UNSAFE.putByte(at, (byte) (v >>> 8));
        UnsafeAccess.UNSAFE.putByte(at + 1, (byte) v);
    }
}
