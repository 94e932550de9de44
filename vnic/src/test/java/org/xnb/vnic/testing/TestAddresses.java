package org.xnb.vnic.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tests use IPv4 addresses from 198.18.0.0/15 only (RFC 2544, reserved for benchmarking), so a
 * test can never talk to, or shadow, a real network.
 */
public final class TestAddresses {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/(\\d{1,2}))?");

    private TestAddresses() {
    }

    /** Returns {@code address} ("a.b.c.d" or "a.b.c.d/len") if it lies in 198.18.0.0/15; throws otherwise. */
    public static String check(String address) {
        Matcher m = V4.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
        }
        if (m.group(6) != null) {
            int len = Integer.parseInt(m.group(6));
            if (len < 15 || len > 32) {
                throw new IllegalArgumentException("prefix of " + address + " reaches outside 198.18.0.0/15");
            }
        }
        if (a != 198 || (b != 18 && b != 19)) {
            throw new IllegalArgumentException("test addresses must be in 198.18.0.0/15: " + address);
        }
        return address;
    }

    /** 198.18.{subnet}.{host}, subnet 0..255, host 1..254. */
    public static String host(int subnet, int host) {
        if (subnet < 0 || subnet > 255 || host < 1 || host > 254) {
            throw new IllegalArgumentException("subnet 0..255, host 1..254: " + subnet + ", " + host);
        }
        return "198.18." + subnet + "." + host;
    }
}
