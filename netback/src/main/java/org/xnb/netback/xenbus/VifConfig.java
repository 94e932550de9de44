package org.xnb.netback.xenbus;

/**
 * What the toolstack configured for a vif in its backend directory (libxl writes these before
 * the backend starts; Linux reads them in {@code backend_create_xenvif()} and {@code connect()}).
 *
 * @param handle the {@code handle} node: the vif's number inside the guest
 * @param mac    the {@code mac} node, checked to be six hex octets (the guest's address)
 * @param bridge the {@code bridge} node, or {@code null}: where the host side should be attached
 * @param script the {@code script} node, or {@code null}: the hotplug script the toolstack named
 * @param rate   the {@code rate} node as Linux's {@code xen_net_read_rate()} reads it
 */
public record VifConfig(long handle, String mac, String bridge, String script, RateLimit rate) {

    public VifConfig {
        if (mac == null || !isMac(mac)) {
            throw new IllegalArgumentException("mac must be six hex octets joined by ':': " + mac);
        }
        if (rate == null) {
            throw new IllegalArgumentException("rate must not be null (use RateLimit.UNLIMITED)");
        }
    }

    /** Whether {@code s} is a MAC address as Linux's {@code xen_net_read_mac()} accepts it. */
    public static boolean isMac(String s) {
        String[] octets = s.split(":", -1);
        if (octets.length != 6) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 2 || !o.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
