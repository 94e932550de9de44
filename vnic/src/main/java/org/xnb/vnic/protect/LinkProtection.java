package org.xnb.vnic.protect;

import java.util.EnumSet;
import java.util.Set;
import org.agrona.DirectBuffer;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.prop.AllowedIps;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.ProtectionType;

/**
 * Crossbow link protection for the frames one VNIC sends (its guest's Tx path), after illumos
 * {@code mac_protect.c}. Immutable: a property change builds a new one. {@link #check} reads the
 * frame in place, allocates nothing and is safe from any number of lanes at once; drops are
 * counted in the caller's (per-lane) {@link ProtectionCounters}.
 *
 * <p>The checks, in illumos' order (the first failing one decides and is counted):
 * <ol>
 *   <li>mac-nospoof: the source MAC must be the VNIC's.</li>
 *   <li>restricted: only IPv4, IPv6 and ARP (behind an 802.1Q tag too), and a tag's VLAN id must be
 *       0 or the VNIC's.</li>
 *   <li>ip-nospoof ({@link IpNoSpoof}): IPv4 and IPv6 sources and the ARP sender (hardware and
 *       protocol address) within allowed-ips; NDP's target and link-layer address options;
 *       DHCP refused when allowed-ips of that family are set.</li>
 *   <li>dhcp-nospoof ({@link DhcpNoSpoof}): DHCPv4 chaddr and client id, DHCPv6 client DUID.</li>
 * </ol>
 */
public final class LinkProtection {
    static final long LINK_LOCAL_HIGH = 0xfe80_0000_0000_0000L;

    private final long mac;
    private final int vlanId;
    private final boolean macNoSpoof;
    private final boolean restricted;
    private final boolean ipNoSpoof;
    private final boolean dhcpNoSpoof;
    private final AllowedIps allowedIps;
    private final boolean allowedV4;
    private final boolean allowedV6;
    private final long linkLocalLow;

    /**
     * @param mac the VNIC's unicast MAC, 6 bytes
     * @param vlanId the VNIC's VLAN id, 0 for none
     */
    public LinkProtection(byte[] mac, int vlanId, Set<ProtectionType> types, AllowedIps allowedIps) {
        if (vlanId < 0 || vlanId > 4094) {
            throw new IllegalArgumentException("VLAN id " + vlanId + " out of range 0-4094");
        }
        this.mac = EtherHeader.mac48(mac);
        this.vlanId = vlanId;
        EnumSet<ProtectionType> t = types.isEmpty() ? EnumSet.noneOf(ProtectionType.class) : EnumSet.copyOf(types);
        this.macNoSpoof = t.contains(ProtectionType.MAC_NOSPOOF);
        this.restricted = t.contains(ProtectionType.RESTRICTED);
        this.ipNoSpoof = t.contains(ProtectionType.IP_NOSPOOF);
        this.dhcpNoSpoof = t.contains(ProtectionType.DHCP_NOSPOOF);
        this.allowedIps = allowedIps;
        this.allowedV4 = allowedIps.hasV4();
        this.allowedV6 = allowedIps.hasV6();
        this.linkLocalLow = linkLocalInterfaceId(this.mac);
    }

    /** From a VNIC's link properties ({@code protection}, {@code allowed-ips}). */
    public static LinkProtection of(byte[] mac, int vlanId, LinkProperties properties) {
        return new LinkProtection(mac, vlanId, properties.protection(), properties.allowedIps());
    }

    /** The modified EUI-64 interface id of a MAC: fe80::(mac^0x02...)ff:fe(...). */
    static long linkLocalInterfaceId(long mac48) {
        long oui = (mac48 >>> 24) ^ 0x020000L;
        return oui << 40 | 0xFFFEL << 24 | (mac48 & 0xFFFFFFL);
    }

    /** True if any protection is on; when false, {@link #check} passes everything unread. */
    public boolean enabled() {
        return macNoSpoof || restricted || ipNoSpoof || dhcpNoSpoof;
    }

    /**
     * Checks one frame the VNIC sends; counts a drop in {@code counters}.
     *
     * @return {@link ProtectionVerdict#PASS} or why the frame must be dropped
     */
    public ProtectionVerdict check(DirectBuffer b, int offset, int length, ProtectionCounters counters) {
        ProtectionVerdict v = verdict(b, offset, length);
        if (v != ProtectionVerdict.PASS) {
            counters.count(v);
        }
        return v;
    }

    private ProtectionVerdict verdict(DirectBuffer b, int offset, int length) {
        if (!enabled()) {
            return ProtectionVerdict.PASS;
        }
        long l2 = EtherHeader.parse(b, offset, length);
        if (l2 == EtherHeader.MALFORMED) {
            return ProtectionVerdict.MALFORMED;
        }
        if (macNoSpoof && EtherHeader.mac48(b, offset + EtherHeader.SOURCE_OFFSET) != mac) {
            return ProtectionVerdict.MAC_SPOOFED;
        }
        int etherType = EtherHeader.etherType(l2);
        if (restricted) {
            int vid = EtherHeader.vlanId(l2);
            if (vid != 0 && vid != vlanId) {
                return ProtectionVerdict.RESTRICTED;
            }
            if (etherType != EtherHeader.ETHERTYPE_IPV4 && etherType != EtherHeader.ETHERTYPE_IPV6
                    && etherType != EtherHeader.ETHERTYPE_ARP) {
                return ProtectionVerdict.RESTRICTED;
            }
        }
        int l3 = offset + EtherHeader.l3Offset(l2);
        int end = offset + length;
        if (ipNoSpoof && !IpNoSpoof.allows(this, b, etherType, l3, end)) {
            return ProtectionVerdict.IP_SPOOFED;
        }
        if (dhcpNoSpoof && !DhcpNoSpoof.allows(this, b, etherType, l3, end)) {
            return ProtectionVerdict.DHCP_SPOOFED;
        }
        return ProtectionVerdict.PASS;
    }

    long mac() {
        return mac;
    }

    boolean allowedV4Set() {
        return allowedV4;
    }

    boolean allowedV6Set() {
        return allowedV6;
    }

    /** 0.0.0.0 is always allowed (DHCP discover); otherwise an allowed-ips entry must hold it. */
    boolean allowsV4(int address) {
        return address == 0 || allowedIps.allowsV4(address);
    }

    /** :: (duplicate address detection) and the MAC's own link-local address are always allowed. */
    boolean allowsV6(long high, long low) {
        return high == 0 && low == 0 || high == LINK_LOCAL_HIGH && low == linkLocalLow || allowedIps.allowsV6(high, low);
    }
}
