package org.xnb.netback.link;

import java.util.regex.Pattern;

/**
 * What a link is: {@code NAME=etherstub} (an in-process switch among its vifs only) or
 * {@code NAME=tap[,ifname=IF][,netns=NS][,address=CIDR][,bridge=LINUXBR]} (the switch plus a TAP
 * device as dom0's member: created by the daemon, optionally moved into network namespace
 * {@code NS}, given {@code CIDR} and set up, or enslaved to the Linux bridge {@code LINUXBR}).
 * A vif joins the link its xenstore {@code bridge} key names.
 *
 * @param name    the link's name (what a vif's {@code bridge} key says)
 * @param kind    etherstub or tap
 * @param ifname  the TAP device's name (tap only; derived from the name when not given)
 * @param netns   the namespace to move it into, or null
 * @param address an address in CIDR notation for it, or null
 * @param bridge  a Linux bridge to enslave it to, or null
 */
public record LinkSpec(String name, Kind kind, String ifname, String netns, String address, String bridge) {
    /** Linux's IFNAMSIZ - 1. */
    public static final int IFNAME_MAX = 15;
    public static final String USAGE = "NAME=etherstub or NAME=tap[,ifname=IF][,netns=NS][,address=CIDR][,bridge=LINUXBR]";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CIDR = Pattern.compile(
            "(\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2})|([0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/\\d{1,3})");

    public enum Kind { ETHERSTUB, TAP }

    public LinkSpec {
        check(NAME, name, "link name", "1-64 of A-Z a-z 0-9 _ . : -");
        if (kind == Kind.ETHERSTUB && (ifname != null || netns != null || address != null || bridge != null)) {
            throw new IllegalArgumentException("link '" + name + "': an etherstub takes no options");
        }
        if (kind == Kind.TAP) {
            ifname = ifname == null ? deriveIfname("xnb-", name) : ifname;
            check(IFNAME, ifname, "ifname", "1-15 of A-Z a-z 0-9 _ . -");
            if (netns != null) {
                check(NETNS, netns, "netns", "1-64 of A-Z a-z 0-9 _ . -");
            }
            if (address != null && !CIDR.matcher(address).matches()) {
                throw new IllegalArgumentException("link '" + name + "': address '" + address
                        + "' is not an address in CIDR notation (like 198.18.0.1/24)");
            }
            if (bridge != null) {
                check(IFNAME, bridge, "bridge", "a Linux interface name, 1-15 of A-Z a-z 0-9 _ . -");
                if (netns != null || address != null) {
                    throw new IllegalArgumentException("link '" + name
                            + "': bridge= cannot be combined with netns= or address= (the bridge has the address)");
                }
            }
        }
    }

    public static LinkSpec etherstub(String name) {
        return new LinkSpec(name, Kind.ETHERSTUB, null, null, null, null);
    }

    /** A tap link enslaved to the existing Linux bridge {@code bridge}, named after it: {@code xnbu-<bridge>}. */
    public static LinkSpec tapOnBridge(String bridge) {
        return new LinkSpec(bridge, Kind.TAP, deriveIfname("xnbu-", bridge), null, null, bridge);
    }

    /**
     * Parses {@code NAME=etherstub} or {@code NAME=tap[,key=value...]}; an
     * {@link IllegalArgumentException} says what was wrong and what is allowed.
     */
    public static LinkSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a link: expected " + USAGE);
        }
        String name = text.substring(0, eq);
        String[] parts = text.substring(eq + 1).split(",", -1);
        String kind = parts[0];
        if (kind.equals("etherstub")) {
            if (parts.length > 1) {
                throw new IllegalArgumentException("link '" + name + "': an etherstub takes no options, got '"
                        + text.substring(eq + 1 + kind.length() + 1) + "'");
            }
            return etherstub(name);
        }
        if (!kind.equals("tap")) {
            throw new IllegalArgumentException("link '" + name + "': unknown kind '" + kind
                    + "' (allowed: etherstub, tap); expected " + USAGE);
        }
        String ifname = null;
        String netns = null;
        String address = null;
        String bridge = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int e = p.indexOf('=');
            if (e <= 0) {
                throw new IllegalArgumentException("link '" + name + "': option '" + p
                        + "' is not key=value (keys: ifname, netns, address, bridge)");
            }
            String key = p.substring(0, e);
            String value = p.substring(e + 1);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("link '" + name + "': option '" + key + "' has no value");
            }
            switch (key) {
                case "ifname" -> ifname = once(name, key, ifname, value);
                case "netns" -> netns = once(name, key, netns, value);
                case "address" -> address = once(name, key, address, value);
                case "bridge" -> bridge = once(name, key, bridge, value);
                default -> throw new IllegalArgumentException("link '" + name + "': unknown option '" + key
                        + "' (allowed: ifname, netns, address, bridge)");
            }
        }
        return new LinkSpec(name, Kind.TAP, ifname, netns, address, bridge);
    }

    /** {@code prefix + name}, cut to {@link #IFNAME_MAX} characters, characters Linux refuses replaced. */
    public static String deriveIfname(String prefix, String name) {
        String s = (prefix + name).replaceAll("[^A-Za-z0-9_.-]", "-");
        return s.length() <= IFNAME_MAX ? s : s.substring(0, IFNAME_MAX);
    }

    private static String once(String link, String key, String old, String value) {
        if (old != null) {
            throw new IllegalArgumentException("link '" + link + "': option '" + key + "' given twice");
        }
        return value;
    }

    private static void check(Pattern p, String value, String what, String allowed) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalArgumentException("bad " + what + " '" + value + "' (allowed: " + allowed + ")");
        }
    }

    @Override
    public String toString() {
        if (kind == Kind.ETHERSTUB) {
            return name + "=etherstub";
        }
        return name + "=tap,ifname=" + ifname + (netns == null ? "" : ",netns=" + netns)
                + (address == null ? "" : ",address=" + address) + (bridge == null ? "" : ",bridge=" + bridge);
    }
}
