package org.xnb.vnic;

import java.util.random.RandomGenerator;

/**
 * MAC addresses as a primitive {@code long} (the 48 bits in network order, the first octet
 * highest), so tables and the per-frame path never box or allocate. Static helpers only.
 */
public final class MacAddress {
    /** All ones: the Ethernet broadcast address. */
    public static final long BROADCAST = 0xffff_ffff_ffffL;
    /** Xen's OUI, {@code 00:16:3e}, as the high 24 bits. */
    public static final long XEN_OUI = 0x00_16_3eL << 24;
    private static final long MASK = 0xffff_ffff_ffffL;

    private MacAddress() {
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (colons or dashes, hex digits of either case).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static long parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("MAC address '" + text + "': want six hex octets like 00:16:3e:12:34:56");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("MAC address '" + text + "': octet '" + p + "' is not 1-2 hex digits");
            }
            int v;
            try {
                v = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MAC address '" + text + "': octet '" + p + "' is not hex", e);
            }
            mac = mac << 8 | v;
        }
        return mac;
    }

    /** The six octets of {@code mac}, most significant first (as on the wire). */
    public static byte[] toBytes(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    /** {@code 00:16:3e:0a:0b:0c}: lower case, two digits per octet. */
    public static String format(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int v = (int) (mac >>> shift) & 0xff;
            b.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xf, 16));
            if (shift > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }

    /** A random address under Xen's OUI, as the toolstack makes for a vif without one. */
    public static long randomXen(RandomGenerator random) {
        return XEN_OUI | random.nextLong() & 0xff_ffffL;
    }

    /** Whether the I/G bit (lowest bit of the first octet) is set: multicast, broadcast included. */
    public static boolean isMulticast(long mac) {
        return (mac >>> 40 & 1) != 0;
    }

    public static boolean isBroadcast(long mac) {
        return (mac & MASK) == BROADCAST;
    }

    /** Whether {@code mac} fits 48 bits (a long from elsewhere may not). */
    public static boolean valid(long mac) {
        return (mac & ~MASK) == 0;
    }
}
