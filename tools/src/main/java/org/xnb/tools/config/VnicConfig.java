package org.xnb.tools.config;

import java.util.Locale;
import java.util.Objects;
import org.xnb.vnic.prop.LinkProperties;

/**
 * A persisted VNIC: {@code create-vnic -l OVER [-m MAC] [-v VID] [-p props] NAME}.
 *
 * @param mac lower-case {@code xx:xx:xx:xx:xx:xx}
 * @param vlan 0 for none, else 1-4094
 */
public record VnicConfig(String name, String over, String mac, int vlan, LinkProperties properties) {
    public VnicConfig {
        ConfigNames.check(name, "vnic name");
        ConfigNames.check(over, "over-link");
        Objects.requireNonNull(mac, "mac");
        if (!mac.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")) {
            throw new IllegalArgumentException("mac '" + mac + "' is not six hex octets like 00:16:3e:01:02:03");
        }
        mac = mac.toLowerCase(Locale.ROOT);
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException("vlan " + vlan + " is out of range; allowed: 0 (none) or 1-4094");
        }
        Objects.requireNonNull(properties, "properties");
    }
}
