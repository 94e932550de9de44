package org.xnb.vnic.prop;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code allowed-ips} property: the IPv4/IPv6 addresses and prefixes a guest may send from
 * when {@code ip-nospoof} is on. As illumos' {@code validate_ips}: at most 32 entries, none
 * unspecified (0.0.0.0 and :: are always allowed implicitly), no IPv4-mapped IPv6, no duplicates.
 */
public final class AllowedIps {
    /** illumos' {@code MPT_MAXIPADDR}. */
    public static final int MAX_ENTRIES = 32;

    private final IpPrefix[] entries;

    private AllowedIps(IpPrefix[] entries) {
        this.entries = entries;
    }

    public static AllowedIps of(List<IpPrefix> prefixes) {
        if (prefixes.size() > MAX_ENTRIES) {
            throw new PropertyException("allowed-ips: " + prefixes.size() + " entries; at most " + MAX_ENTRIES + " allowed");
        }
        List<IpPrefix> seen = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.isUnspecified()) {
                throw new PropertyException("allowed-ips: " + p + " is the unspecified address (always allowed);"
                        + " give host addresses or subnets");
            }
            if (p.isV6() && p.high() == 0 && (p.low() >>> 32) == 0xFFFFL) {
                throw new PropertyException("allowed-ips: " + p + " is IPv4-mapped; write the IPv4 address instead");
            }
            for (IpPrefix s : seen) {
                if (s.isV6() == p.isV6() && s.high() == p.high() && s.low() == p.low()) {
                    throw new PropertyException("allowed-ips: " + p + " is listed more than once");
                }
            }
            seen.add(p);
        }
        return new AllowedIps(prefixes.toArray(new IpPrefix[0]));
    }

    /** Parses a comma list of {@code address[/prefix]}. */
    public static AllowedIps parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new PropertyException("allowed-ips: empty value; expected a comma list of IPv4/IPv6 addresses"
                    + " with optional /prefix, e.g. 198.18.0.2,2001:db8::/64");
        }
        List<IpPrefix> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            list.add(IpPrefix.parse(part, "allowed-ips"));
        }
        return of(list);
    }

    public static AllowedIps none() {
        return new AllowedIps(new IpPrefix[0]);
    }

    public int size() {
        return entries.length;
    }

    public IpPrefix get(int i) {
        return entries[i];
    }

    /** True if some IPv4 entry is configured. */
    public boolean hasV4() {
        for (IpPrefix p : entries) {
            if (!p.isV6()) {
                return true;
            }
        }
        return false;
    }

    /** True if some IPv6 entry is configured. */
    public boolean hasV6() {
        for (IpPrefix p : entries) {
            if (p.isV6()) {
                return true;
            }
        }
        return false;
    }

    /** True if an IPv4 entry contains the address (host order). No allocation. */
    public boolean allowsV4(int address) {
        for (IpPrefix p : entries) {
            if (p.containsV4(address)) {
                return true;
            }
        }
        return false;
    }

    /** True if an IPv6 entry contains the address. No allocation. */
    public boolean allowsV6(long high, long low) {
        for (IpPrefix p : entries) {
            if (p.containsV6(high, low)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllowedIps a && java.util.Arrays.equals(a.entries, entries);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(entries);
    }

    /** Comma list; host entries without their /32 or /128. */
    @Override
    public String toString() {
        return java.util.Arrays.stream(entries)
                .map(p -> p.prefixLength() == (p.isV6() ? 128 : 32) ? p.addressText() : p.toString())
                .collect(Collectors.joining(","));
    }
}
