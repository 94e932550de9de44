package org.xnb.vnic.prop;

import java.util.Locale;

/**
 * An IPv4 or IPv6 address with a prefix length ({@code 198.18.0.0/15}, {@code 2001:db8::/32}),
 * as {@code allowed-ips} and flowadm's {@code local_ip}/{@code remote_ip} take it. Without a
 * prefix it is a host address (/32 or /128). Parsed here, never through {@code InetAddress}, so
 * that a typo can never become a name lookup.
 *
 * <p>The address is kept masked to its prefix, as illumos does before it compares
 * ({@code V6_MASK_COPY}); an IPv6 address is two longs (high and low 64 bits), an IPv4 address
 * is the low 32 bits of {@link #low()}. Matching a packet's address allocates nothing.
 */
public final class IpPrefix {
    private final boolean v6;
    private final int prefixLength;
    private final long high;
    private final long low;
    private final long maskHigh;
    private final long maskLow;

    private IpPrefix(boolean v6, long high, long low, int prefixLength) {
        this.v6 = v6;
        this.prefixLength = prefixLength;
        if (v6) {
            this.maskHigh = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
            this.maskLow = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        } else {
            this.maskHigh = 0;
            this.maskLow = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
        }
        this.high = high & maskHigh;
        this.low = low & maskLow;
    }

    /** An IPv4 prefix; {@code address} in host order (a.b.c.d = a << 24 | ...). */
    public static IpPrefix v4(int address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new PropertyException("prefix length " + prefixLength + " out of range: IPv4 allows 1-32");
        }
        return new IpPrefix(false, 0, address & 0xFFFF_FFFFL, prefixLength);
    }

    /** An IPv6 prefix from its high and low 64 bits. */
    public static IpPrefix v6(long high, long low, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new PropertyException("prefix length " + prefixLength + " out of range: IPv6 allows 1-128");
        }
        return new IpPrefix(true, high, low, prefixLength);
    }

    /**
     * Parses {@code address[/prefix]}. The prefix must be 1-32 (IPv4) or 1-128 (IPv6): a /0 is
     * refused as libdladm's {@code do_check_ip_addr} refuses it.
     *
     * @param what the attribute or property named in the error message
     */
    public static IpPrefix parse(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new PropertyException(what + ": empty address; expected an IPv4 or IPv6 address, optionally /prefix");
        }
        String addr = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new PropertyException(what + ": invalid prefix length '" + p + "' in '" + text
                        + "'; expected a number, 1-32 for IPv4 or 1-128 for IPv6");
            }
            prefix = Integer.parseInt(p);
        }
        if (addr.indexOf(':') < 0) {
            long v4 = parseV4(addr);
            if (v4 < 0) {
                throw new PropertyException(what + ": '" + addr + "' is not an IPv4 or IPv6 address"
                        + " (IPv4 is dotted decimal a.b.c.d, IPv6 is colon-separated hex)");
            }
            if (prefix == -1) {
                prefix = 32;
            } else if (prefix < 1 || prefix > 32) {
                throw new PropertyException(what + ": prefix length /" + prefix + " out of range for IPv4; allowed: 1-32");
            }
            return new IpPrefix(false, 0, v4, prefix);
        }
        long[] v6 = parseV6(addr);
        if (v6 == null) {
            throw new PropertyException(what + ": '" + addr + "' is not an IPv4 or IPv6 address"
                    + " (IPv4 is dotted decimal a.b.c.d, IPv6 is colon-separated hex)");
        }
        if (prefix == -1) {
            prefix = 128;
        } else if (prefix < 1 || prefix > 128) {
            throw new PropertyException(what + ": prefix length /" + prefix + " out of range for IPv6; allowed: 1-128");
        }
        return new IpPrefix(true, v6[0], v6[1], prefix);
    }

    /** Dotted-decimal IPv4 (exactly four parts, 0-255, no leading '+'), or -1. */
    static long parseV4(String s) {
        long result = 0;
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                if (value > 255 || i - start >= 3) {
                    return -1;
                }
                i++;
            }
            if (i == start) {
                return -1;
            }
            result = (result << 8) | value;
            parts++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 ? result : -1;
    }

    /** RFC 4291 text form (with "::" and a trailing dotted IPv4 part), or null. */
    static long[] parseV6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new long[] {0, 0};
            }
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 5) {
                value = (value << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                long v4 = parseV4(s.substring(start));
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            if (i == start || i - start > 4 || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        if (gap < 0 && count != 8 || gap >= 0 && count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return new long[] {hi, lo};
    }

    public boolean isV6() {
        return v6;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** High 64 bits of the (masked) IPv6 address; 0 for IPv4. */
    public long high() {
        return high;
    }

    /** Low 64 bits of the (masked) IPv6 address, or the IPv4 address in the low 32 bits. */
    public long low() {
        return low;
    }

    /** The masked IPv4 address in host order. */
    public int v4Address() {
        return (int) low;
    }

    /** True if this is an IPv4 prefix containing {@code address} (host order). */
    public boolean containsV4(int address) {
        return !v6 && ((address & 0xFFFF_FFFFL) & maskLow) == low;
    }

    /** True if this is an IPv6 prefix containing the address given as two longs. */
    public boolean containsV6(long addressHigh, long addressLow) {
        return v6 && (addressHigh & maskHigh) == high && (addressLow & maskLow) == low;
    }

    /** True if the masked address is all zeros (0.0.0.0/n or ::/n). */
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.v6 == v6 && p.prefixLength == prefixLength && p.high == high && p.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + prefixLength + (v6 ? 1 : 0);
    }

    /** {@code a.b.c.d/n} or the RFC 5952 canonical IPv6 form with {@code /n}. */
    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }

    /** The address alone, in canonical text form. */
    public String addressText() {
        if (!v6) {
            return ((low >>> 24) & 0xFF) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (high >>> (48 - 16 * k)) & 0xFFFF;
            g[k + 4] = (int) (low >>> (48 - 16 * k)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestStart = s;
                bestLen = k - s;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
