package org.xnb.vnic.protect;

/** What link protection decided for one frame a VNIC sent. Every value but PASS is a drop. */
public enum ProtectionVerdict {
    PASS,
    /** mac-nospoof: the source MAC is not the VNIC's. */
    MAC_SPOOFED,
    /** restricted: an EtherType other than IPv4, IPv6, ARP, or a VLAN id not the VNIC's. */
    RESTRICTED,
    /** ip-nospoof: an IPv4/IPv6/ARP source, an NDP target or link-layer option that is not the VNIC's. */
    IP_SPOOFED,
    /** dhcp-nospoof: a DHCP chaddr, client id or DUID that is not the VNIC's MAC. */
    DHCP_SPOOFED,
    /** Shorter than an Ethernet header (or its 802.1Q tag) while some protection is on. */
    MALFORMED
}
