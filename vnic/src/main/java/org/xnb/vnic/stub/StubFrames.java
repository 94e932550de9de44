package org.xnb.vnic.stub;

import org.agrona.UnsafeAccess;

/**
 * Just the Ethernet header reads the switch needs, straight from native memory (no buffer object
 * per frame). Multi-byte fields are big-endian on the wire.
 *
 * <pre>
 *  0        6        12       14       16
 *  | dst    | src    | 0x8100 | TCI    | type ...   802.1Q tagged (TCI: PCP 3 | DEI 1 | VID 12)
 *  | dst    | src    | type   | payload ...         untagged
 * </pre>
 */
public final class StubFrames {
    public static final int ETH_HLEN = 14;
    public static final int VLAN_HLEN = 4;
    public static final int TPID_8021Q = 0x8100;

    private StubFrames() {
    }

    /** The destination MAC as a 48-bit long. */
    public static long destination(long address) {
        return read48(address);
    }

    public static long source(long address) {
        return read48(address + 6);
    }

    /** Whether the frame carries an 802.1Q tag (needs at least 14 bytes). */
    public static boolean isTagged(long address) {
        return read16(address + 12) == TPID_8021Q;
    }

    /** The tag's VLAN id (needs a tagged frame of at least 18 bytes). */
    public static int taggedVlan(long address) {
        return read16(address + 14) & 0xfff;
    }

    private static long read48(long a) {
        return (long) read16(a) << 32 | (long) read16(a + 2) << 16 | read16(a + 4);
    }

    private static int read16(long a) {
        return (UnsafeAccess.UNSAFE.getByte(a) & 0xff) << 8 | UnsafeAccess.UNSAFE.getByte(a + 1) & 0xff;
    }
}
