package org.xnb.vnic.protect;

/**
 * Drop counters of link protection, named as illumos' mac client kstats. One instance per lane
 * (single writer, plain longs, no lock); a reader on another thread may see slightly old values.
 */
public final class ProtectionCounters {
    private long macspoofed;
    private long ipspoofed;
    private long dhcpspoofed;
    private long restricted;
    private long malformed;

    void count(ProtectionVerdict v) {
        switch (v) {
            case MAC_SPOOFED -> macspoofed++;
            case IP_SPOOFED -> ipspoofed++;
            case DHCP_SPOOFED -> dhcpspoofed++;
            case RESTRICTED -> restricted++;
            case MALFORMED -> malformed++;
            default -> {
            }
        }
    }

    public long macspoofed() {
        return macspoofed;
    }

    public long ipspoofed() {
        return ipspoofed;
    }

    public long dhcpspoofed() {
        return dhcpspoofed;
    }

    public long restricted() {
        return restricted;
    }

    public long malformed() {
        return malformed;
    }

    /** All drops. */
    public long total() {
        return macspoofed + ipspoofed + dhcpspoofed + restricted + malformed;
    }

    @Override
    public String toString() {
        return "macspoofed=" + macspoofed + " ipspoofed=" + ipspoofed + " dhcpspoofed=" + dhcpspoofed
                + " restricted=" + restricted + " malformed=" + malformed;
    }
}
