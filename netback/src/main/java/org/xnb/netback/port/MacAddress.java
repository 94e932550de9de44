package org.xnb.netback.port;

import org.agrona.UnsafeAccess;

/**
 * Ethernet addresses as 48-bit {@code long} values (first octet in bits 47..40), so a switch table
 * can key on them without boxing.
 *
 * <pre>
 *  Ethernet header at the frame's address:
 *  0                 6                 12      14
 *  +-----------------+-----------------+-------+
 *  | destination MAC | source MAC      | type  |
 *  +-----------------+-----------------+-------+
 *  group bit = lowest bit of the first octet (broadcast ff:ff:ff:ff:ff:ff is a group address)
 * </pre>
 */
public final class MacAddress {
    public static final long BROADCAST = 0xffff_ffff_ffffL;
    public static final int ETH_HLEN = 14;
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;

    private MacAddress() {
    }

    /** The 6 octets at {@code address + offset}, big-endian as on the wire. */
    public static long read(long address, int offset) {
        long hi = (UnsafeAccess.UNSAFE.getByte(address + offset) & 0xffL) << 40
                | (UnsafeAccess.UNSAFE.getByte(address + offset + 1) & 0xffL) << 32;
        long lo = 0;
        for (int i = 2; i < 6; i++) {
            lo = (lo << 8) | (UnsafeAccess.UNSAFE.getByte(address + offset + i) & 0xffL);
        }
        return hi | lo;
    }

    /** Multicast or broadcast (the I/G bit). */
    public static boolean isGroup(long mac) {
        return (mac >>> 40 & 1) != 0;
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (one or two hex digits per octet, as xenstore's {@code mac}). */
    public static long parse(String s) {
        String[] octets = s.split(":", -1);
        if (octets.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + s);
        }
        long mac = 0;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + s);
            }
            try {
                mac = (mac << 8) | Integer.parseInt(o, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: " + s, e);
            }
        }
        return mac;
    }

    public static String toString(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (mac >>> (8 * i)) & 0xff;
            b.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
