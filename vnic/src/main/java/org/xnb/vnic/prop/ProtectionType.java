package org.xnb.vnic.prop;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The values of the {@code protection} link property (Crossbow link protection). */
public enum ProtectionType {
    MAC_NOSPOOF("mac-nospoof"),
    IP_NOSPOOF("ip-nospoof"),
    DHCP_NOSPOOF("dhcp-nospoof"),
    RESTRICTED("restricted");

    private final String token;

    ProtectionType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** Parses a comma list of protection types; each at most once. */
    public static Set<ProtectionType> parseList(String text) {
        String allowed = "allowed: mac-nospoof, ip-nospoof, dhcp-nospoof, restricted (comma-separated)";
        if (text == null || text.isEmpty()) {
            throw new PropertyException("protection: empty value; " + allowed);
        }
        EnumSet<ProtectionType> set = EnumSet.noneOf(ProtectionType.class);
        for (String part : text.split(",", -1)) {
            ProtectionType type = null;
            for (ProtectionType t : values()) {
                if (t.token.equals(part.toLowerCase(Locale.ROOT))) {
                    type = t;
                }
            }
            if (type == null) {
                throw new PropertyException("protection: unknown type '" + part + "'; " + allowed);
            }
            if (!set.add(type)) {
                throw new PropertyException("protection: '" + part + "' is listed more than once");
            }
        }
        return set;
    }

    /** The comma list in declaration order. */
    public static String format(Set<ProtectionType> set) {
        return set.stream().sorted().map(ProtectionType::token).collect(Collectors.joining(","));
    }
}
