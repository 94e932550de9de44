package org.xnb.vnic.protect;

import org.agrona.DirectBuffer;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.IpHeaders;

/**
 * dhcp-nospoof, after illumos {@code dhcpnospoof_check}: a DHCP message the VNIC sends must
 * name the VNIC's own MAC.
 *
 * <ul>
 *   <li>DHCPv4 (UDP port 67 or 68 on either side): with {@code hlen} 6 the {@code chaddr} must
 *       be the MAC; a client identifier option (61), if present, must be type 1 (Ethernet) + the
 *       MAC.</li>
 *   <li>DHCPv6 (UDP 546/547), client messages only (not Advertise, Reply, Reconfigure): a client
 *       identifier option (1), if present, must be a DUID-LLT or DUID-LL holding the MAC.</li>
 *   <li>Not DHCP, or too short to be a message: passes. The first fragment of a DHCP datagram,
 *       a missing UDP header, or an IP header we cannot read: dropped (illumos' ENOSPC).</li>
 * </ul>
 * illumos also accepts client ids listed in the {@code allowed-dhcp-cids} property; xnb has no
 * such property yet, so any other client id is dropped.
 */
final class DhcpNoSpoof {
    private static final int OPTION_CLIENT_ID_V4 = 61;
    private static final int OPTION_CLIENT_ID_V6 = 1;
    private static final int DUID_LLT = 1;
    private static final int DUID_LL = 3;

    private DhcpNoSpoof() {
    }

    static boolean allows(LinkProtection p, DirectBuffer b, int etherType, int l3, int end) {
        if (etherType == EtherHeader.ETHERTYPE_IPV4) {
            return v4(p, b, l3, end);
        }
        if (etherType == EtherHeader.ETHERTYPE_IPV6) {
            return v6(p, b, l3, end);
        }
        return true;
    }

    private static boolean v4(LinkProtection p, DirectBuffer b, int l3, int end) {
        if (end - l3 < IpHeaders.IPV4_MIN_HEADER) {
            return false;
        }
        int packetEnd = IpHeaders.ipv4End(b, l3, end);
        int dh = DhcpMessages.v4(b, l3, packetEnd);
        if (dh < 0) {
            return dh == DhcpMessages.NOT_DHCP;
        }
        if (EtherHeader.u8(b, dh + 2) == 6 && EtherHeader.mac48(b, dh + DhcpMessages.V4_CHADDR) != p.mac()) {
            return false;
        }
        int lenAt = DhcpMessages.v4Option(b, dh, packetEnd, OPTION_CLIENT_ID_V4);
        if (lenAt < 0) {
            return true;
        }
        return EtherHeader.u8(b, lenAt) == 7 && EtherHeader.u8(b, lenAt + 1) == 1
                && EtherHeader.mac48(b, lenAt + 2) == p.mac();
    }

    private static boolean v6(LinkProtection p, DirectBuffer b, int l3, int end) {
        if (end - l3 < IpHeaders.IPV6_HEADER) {
            return false;
        }
        int packetEnd = IpHeaders.ipv6End(b, l3, end);
        int dh = DhcpMessages.v6(b, l3, packetEnd);
        if (dh < 0) {
            return dh == DhcpMessages.NOT_DHCP;
        }
        int type = EtherHeader.u8(b, dh);
        if (type == 2 || type == 7 || type == 10) { // Advertise, Reply, Reconfigure: server messages
            return true;
        }
        int option = DhcpMessages.v6Option(b, dh, packetEnd, OPTION_CLIENT_ID_V6);
        if (option < 0) {
            return true;
        }
        int duidLength = EtherHeader.u16(b, option + 2);
        int duid = option + 4;
        if (duidLength < 2) {
            return true;
        }
        int duidType = EtherHeader.u16(b, duid);
        int header = duidType == DUID_LLT ? 8 : duidType == DUID_LL ? 4 : -1;
        return header > 0 && duidLength - header == 6 && EtherHeader.mac48(b, duid + header) == p.mac();
    }
}
