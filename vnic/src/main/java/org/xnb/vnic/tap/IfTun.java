package org.xnb.vnic.tap;

/**
 * Constants of {@code <linux/if_tun.h>} and the {@code struct ifreq} layout that
 * {@code TUNSETIFF} reads and writes. Every value here is checked against the installed kernel
 * headers by {@code TunHeaderConstantsIT}, which compiles a C probe with gcc.
 *
 * <p>ioctl numbers are {@code _IOW('T', nr, int)} = {@code 0x4004_54nn} and
 * {@code _IOR('T', nr, int)} = {@code 0x8004_54nn} (direction in bits 30-31, size 4 in bits
 * 16-29, type 'T' = 0x54 in bits 8-15, the number in bits 0-7).
 *
 * <pre>
 *  struct ifreq (40 bytes on LP64), as TUNSETIFF uses it
 *  0                                16        18                                   40
 *  +--------------------------------+---------+------------------------------------+
 *  | ifr_name[IFNAMSIZ=16], NUL-term| flags   | rest of the 24-byte union (unused) |
 *  +--------------------------------+---------+------------------------------------+
 *  in: wanted name ("" = kernel picks tapN) | IFF_* flags (short)
 *  out: the kernel writes the actual name back into ifr_name
 * </pre>
 */
public final class IfTun {
    public static final long TUNSETIFF = 0x400454caL;
    public static final long TUNSETPERSIST = 0x400454cbL;
    public static final long TUNGETFEATURES = 0x800454cfL;
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    public static final long TUNGETIFF = 0x800454d2L;
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    public static final long TUNSETQUEUE = 0x400454d9L;
    public static final long TUNSETVNETLE = 0x400454dcL;

    public static final int IFF_TUN = 0x0001;
    public static final int IFF_TAP = 0x0002;
    public static final int IFF_MULTI_QUEUE = 0x0100;
    public static final int IFF_ATTACH_QUEUE = 0x0200;
    public static final int IFF_DETACH_QUEUE = 0x0400;
    public static final int IFF_PERSIST = 0x0800;
    public static final int IFF_NO_PI = 0x1000;
    public static final int IFF_VNET_HDR = 0x4000;

    /** TUNSETOFFLOAD bits: what the reader of the fd accepts from the kernel. */
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    public static final int TUN_F_TSO_ECN = 0x08;
    public static final int TUN_F_UFO = 0x10;

    public static final int IFNAMSIZ = 16;
    public static final int IFREQ_SIZE = 40;
    public static final int IFREQ_FLAGS_OFFSET = 16;

    private IfTun() {
    }
}
