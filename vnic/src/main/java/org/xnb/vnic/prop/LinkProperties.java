package org.xnb.vnic.prop;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A VNIC's link properties as dladm knows them, immutable: {@code maxbw}, {@code priority},
 * {@code cpus}, {@code protection}, {@code allowed-ips}, {@code mtu}. {@link #set} and
 * {@link #setAll} parse and validate (dladm's messages: what was wrong, what is allowed) and
 * return a new value; nothing is half-applied when one assignment in a list is bad.
 *
 * <pre>{@code
 * LinkProperties p = LinkProperties.defaults()
 *         .setAll("maxbw=100M,priority=high,cpus=0,1,protection=mac-nospoof,ip-nospoof,"
 *                 + "allowed-ips=198.18.0.2,198.18.0.3");
 * }</pre>
 */
public final class LinkProperties {
    public static final String MAXBW = "maxbw";
    public static final String PRIORITY = "priority";
    public static final String CPUS = "cpus";
    public static final String PROTECTION = "protection";
    public static final String ALLOWED_IPS = "allowed-ips";
    public static final String MTU = "mtu";

    /** Names in show-linkprop order. */
    public static final List<String> NAMES = List.of(MAXBW, PRIORITY, CPUS, PROTECTION, ALLOWED_IPS, MTU);
    private static final Set<String> LIST_VALUED = Set.of(CPUS, PROTECTION, ALLOWED_IPS);

    public static final int MTU_MIN = 68;
    public static final int MTU_MAX = 9000;
    public static final int MTU_DEFAULT = 1500;

    private final int availableCpus;
    private final long maxbw; // bits/s, 0 = no limit
    private final Priority priority;
    private final CpuList cpus; // null = any
    private final Set<ProtectionType> protection;
    private final AllowedIps allowedIps;
    private final int mtu;

    private LinkProperties(int availableCpus, long maxbw, Priority priority, CpuList cpus,
            Set<ProtectionType> protection, AllowedIps allowedIps, int mtu) {
        this.availableCpus = availableCpus;
        this.maxbw = maxbw;
        this.priority = priority;
        this.cpus = cpus;
        this.protection = protection;
        this.allowedIps = allowedIps;
        this.mtu = mtu;
    }

    /** Defaults (no limit, medium, any CPU, no protection, mtu 1500) on this machine's CPUs. */
    public static LinkProperties defaults() {
        return defaults(Runtime.getRuntime().availableProcessors());
    }

    /** Defaults, validating {@code cpus} against {@code availableCpus}. */
    public static LinkProperties defaults(int availableCpus) {
        if (availableCpus < 1) {
            throw new IllegalArgumentException("availableCpus " + availableCpus);
        }
        return new LinkProperties(availableCpus, 0, Priority.MEDIUM, null,
                Collections.unmodifiableSet(EnumSet.noneOf(ProtectionType.class)), AllowedIps.none(), MTU_DEFAULT);
    }

    /** Applies a {@code -p name=value[,name=value...]} list; all or nothing. */
    public LinkProperties setAll(String list) {
        LinkProperties p = this;
        for (Map.Entry<String, String> e : PropertyList.split(list, new java.util.LinkedHashSet<>(NAMES), LIST_VALUED, "property").entrySet()) {
            p = p.set(e.getKey(), e.getValue());
        }
        return p;
    }

    /** Sets one property from its text value. */
    public LinkProperties set(String name, String value) {
        Objects.requireNonNull(value, "value");
        switch (checkName(name)) {
            case MAXBW:
                return new LinkProperties(availableCpus, Bandwidth.parse(value), priority, cpus, protection, allowedIps, mtu);
            case PRIORITY:
                return new LinkProperties(availableCpus, maxbw, Priority.parse(value), cpus, protection, allowedIps, mtu);
            case CPUS:
                return new LinkProperties(availableCpus, maxbw, priority, CpuList.parse(value, availableCpus),
                        protection, allowedIps, mtu);
            case PROTECTION:
                return new LinkProperties(availableCpus, maxbw, priority, cpus,
                        Collections.unmodifiableSet(EnumSet.copyOf(ProtectionType.parseList(value))), allowedIps, mtu);
            case ALLOWED_IPS:
                return new LinkProperties(availableCpus, maxbw, priority, cpus, protection, AllowedIps.parse(value), mtu);
            default:
                return new LinkProperties(availableCpus, maxbw, priority, cpus, protection, allowedIps, parseMtu(value));
        }
    }

    /** Puts one property back to its default ({@code reset-linkprop -p name}). */
    public LinkProperties reset(String name) {
        LinkProperties d = defaults(availableCpus);
        switch (checkName(name)) {
            case MAXBW:
                return new LinkProperties(availableCpus, d.maxbw, priority, cpus, protection, allowedIps, mtu);
            case PRIORITY:
                return new LinkProperties(availableCpus, maxbw, d.priority, cpus, protection, allowedIps, mtu);
            case CPUS:
                return new LinkProperties(availableCpus, maxbw, priority, d.cpus, protection, allowedIps, mtu);
            case PROTECTION:
                return new LinkProperties(availableCpus, maxbw, priority, cpus, d.protection, allowedIps, mtu);
            case ALLOWED_IPS:
                return new LinkProperties(availableCpus, maxbw, priority, cpus, protection, d.allowedIps, mtu);
            default:
                return new LinkProperties(availableCpus, maxbw, priority, cpus, protection, allowedIps, d.mtu);
        }
    }

    private static String checkName(String name) {
        if (!NAMES.contains(name)) {
            throw new PropertyException("unknown property '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
        return name;
    }

    static int parseMtu(String value) {
        String allowed = "allowed: " + MTU_MIN + "-" + MTU_MAX;
        if (value.isEmpty() || value.length() > 6 || !value.chars().allMatch(Character::isDigit)) {
            throw new PropertyException("mtu: '" + value + "' is not a number; " + allowed);
        }
        int v = Integer.parseInt(value);
        if (v < MTU_MIN || v > MTU_MAX) {
            throw new PropertyException("mtu: " + v + " is out of range; " + allowed);
        }
        return v;
    }

    /** The limit in bits per second, or empty for none. */
    public OptionalLong maxbw() {
        return maxbw == 0 ? OptionalLong.empty() : OptionalLong.of(maxbw);
    }

    public Priority priority() {
        return priority;
    }

    /** The CPUs lanes are pinned to, or empty for any. */
    public Optional<CpuList> cpus() {
        return Optional.ofNullable(cpus);
    }

    public Set<ProtectionType> protection() {
        return protection;
    }

    public boolean protects(ProtectionType type) {
        return protection.contains(type);
    }

    public AllowedIps allowedIps() {
        return allowedIps;
    }

    public int mtu() {
        return mtu;
    }

    public int availableCpus() {
        return availableCpus;
    }

    /** The value as show-linkprop prints it: {@code --} when unset. */
    public String get(String name) {
        switch (checkName(name)) {
            case MAXBW:
                return maxbw == 0 ? "--" : Bandwidth.formatMbps(maxbw);
            case PRIORITY:
                return priority.token();
            case CPUS:
                return cpus == null ? "--" : cpus.toString();
            case PROTECTION:
                return protection.isEmpty() ? "--" : ProtectionType.format(protection);
            case ALLOWED_IPS:
                return allowedIps.size() == 0 ? "--" : allowedIps.toString();
            default:
                return Integer.toString(mtu);
        }
    }

    /** The default as show-linkprop's DEFAULT column prints it. */
    public static String defaultText(String name) {
        switch (checkName(name)) {
            case PRIORITY:
                return "medium";
            case MTU:
                return Integer.toString(MTU_DEFAULT);
            default:
                return "--";
        }
    }

    /** show-linkprop's POSSIBLE column. */
    public static String possibleText(String name) {
        switch (checkName(name)) {
            case PRIORITY:
                return "low,medium,high";
            case PROTECTION:
                return "mac-nospoof,ip-nospoof,dhcp-nospoof,restricted";
            case MTU:
                return MTU_MIN + "-" + MTU_MAX;
            default:
                return "--";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkProperties p && p.maxbw == maxbw && p.priority == priority && Objects.equals(p.cpus, cpus)
                && p.protection.equals(protection) && p.allowedIps.equals(allowedIps) && p.mtu == mtu;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxbw, priority, cpus, protection, allowedIps, mtu);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String n : NAMES) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(n).append('=').append(get(n));
        }
        return sb.toString();
    }
}
