package org.xnb.vnic;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A VNIC as the administrator sees it: a name, a unicast MAC address, an optional VLAN id and the
 * link it sits on (a TAP uplink or an etherstub, by name). Immutable; properties (maxbw,
 * priority, cpus, protection, mtu) live beside it, not in it.
 *
 * @param name   link name: an ASCII letter first, then letters, digits, '_', '.' or '-'
 *               (1..31 characters)
 * @param mac    48-bit unicast address ({@link MacAddress})
 * @param vlanId 1..4094, or {@link #NO_VLAN}
 * @param link   name of the link it is created over
 */
public record Vnic(String name, long mac, int vlanId, String link) {
    /** No VLAN: the VNIC sends and sees untagged frames. */
    public static final int NO_VLAN = 0;
    public static final int MAX_VLAN = 4094;
    public static final int MAX_NAME = 31;

    public Vnic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(link, "link");
        checkName("VNIC name", name);
        checkName("link name", link);
        if (!MacAddress.valid(mac)) {
            throw new IllegalArgumentException(name + ": MAC 0x" + Long.toHexString(mac) + " is wider than 48 bits");
        }
        if (MacAddress.isMulticast(mac)) {
            throw new IllegalArgumentException(name + ": MAC " + MacAddress.format(mac)
                    + " is a multicast address; a VNIC needs a unicast one");
        }
        if (mac == 0) {
            throw new IllegalArgumentException(name + ": MAC 00:00:00:00:00:00 is not allowed");
        }
        if (vlanId != NO_VLAN && (vlanId < 1 || vlanId > MAX_VLAN)) {
            throw new IllegalArgumentException(name + ": VLAN id " + vlanId + " is not in 1.." + MAX_VLAN);
        }
    }

    /** A VNIC with a random {@code 00:16:3e} address. */
    public static Vnic withRandomMac(String name, int vlanId, String link, RandomGenerator random) {
        return new Vnic(name, MacAddress.randomXen(random), vlanId, link);
    }

    public boolean hasVlan() {
        return vlanId != NO_VLAN;
    }

    @Override
    public String toString() {
        return name + " (" + MacAddress.format(mac) + (hasVlan() ? ", vlan " + vlanId : "") + ", over " + link + ")";
    }

    private static void checkName(String what, String n) {
        if (n.isEmpty() || n.length() > MAX_NAME) {
            throw new IllegalArgumentException(what + " '" + n + "' must have 1.." + MAX_NAME + " characters");
        }
        if (!Character.isLetter(n.charAt(0)) || n.charAt(0) > 127) {
            throw new IllegalArgumentException(what + " '" + n + "' must start with an ASCII letter");
        }
        for (int i = 1; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c > 127 || !(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
                throw new IllegalArgumentException(what + " '" + n + "': character '" + c
                        + "' is not allowed (letters, digits, '_', '.', '-')");
            }
        }
    }
}
