package org.xnb.netback.admin;

/**
 * One vif's counters: the lane's (ipkts/rbytes: from the guest, opkts/obytes: to the guest, sdrops)
 * and the drops of its Tx filter by reason (link protection as illumos' kstats, and frames over the
 * mtu).
 */
public record LinkStatistics(String link, long ipkts, long rbytes, long opkts, long obytes, long sdrops,
        long macspoofed, long ipspoofed, long dhcpspoofed, long restricted, long malformed, long mtudrops) {
}
