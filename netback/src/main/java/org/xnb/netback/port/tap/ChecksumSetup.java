package org.xnb.netback.port.tap;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Finds where a guest frame's L4 checksum lives, the way Linux's {@code skb_checksum_setup()}
 * ({@code net/core/skbuff.c}) does for netback's {@code checksum_setup()}: Ethernet (with at most
 * one 802.1Q/802.1ad tag), then IPv4 (not a fragment) or IPv6 (walking hop-by-hop, routing,
 * destination, fragment and AH extension headers), then TCP or UDP. The result is
 * {@code csum_start} (the L4 header's offset from the frame's start), {@code csum_offset} (16 for
 * TCP, 6 for UDP) and the L4 header's end (for GSO's {@code hdr_len}).
 *
 * <p>The frame comes from a guest, so every read is bounds-checked against the frame length and
 * any lie (a header length running past the end, an IHL below 5, an unknown protocol, a fragment,
 * an extension chain that never reaches TCP/UDP inside the IPv6 payload length) is a failure
 * reported by reason, never an exception and never a read outside the frame. Linux's
 * {@code xenvif_tx_submit} drops such a packet ("Can't setup checksum in net_tx_action"); so does
 * the caller.
 *
 * <p>Differences from Linux, on purpose: Linux's netback hands {@code skb_checksum_setup} the
 * {@code eth_type_trans} protocol, so a VLAN-tagged partial-checksum frame fails with EPROTO; here
 * one tag is skipped, because the TAP kernel completes the checksum at any {@code csum_start}.
 * Linux does not check IHL &gt;= 5; we do.
 *
 * <p>{@link #recalculatePseudoHeader} writes the pseudo-header sum into the checksum field, as
 * Linux does with {@code recalculate = true} for a GSO packet that did not come CHECKSUM_PARTIAL.
 *
 * <p>One instance per sink: the result fields are reused, nothing is allocated per frame.
 */
public final class ChecksumSetup {
    public static final int ETH_HLEN = 14;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_IPV6 = 0x86dd;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_8021AD = 0x88a8;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    static final int NEXTHDR_HOP = 0;
    static final int NEXTHDR_ROUTING = 43;
    static final int NEXTHDR_FRAGMENT = 44;
    static final int NEXTHDR_AUTH = 51;
    static final int NEXTHDR_DEST = 60;
    /** {@code offsetof(struct tcphdr, check)}, {@code offsetof(struct udphdr, check)}. */
    public static final int TCP_CHECK = 16;
    public static final int UDP_CHECK = 6;
    private static final int IPV6_HLEN = 40;
    /** Bound of the IPv6 extension walk (each header is at least 8 bytes, so 64 KiB holds fewer). */
    private static final int MAX_EXTENSION_HEADERS = 64;

    /** Why a frame's checksum could not be set up. */
    public enum Failure {
        /** Shorter than the headers it announces. */
        TRUNCATED,
        /** Neither IPv4 nor IPv6 (after at most one VLAN tag). */
        NOT_IP,
        /** IPv4 IHL below 5. */
        BAD_IP_HEADER,
        /** An IPv4 or IPv6 fragment: Linux cannot checksum part of a datagram. */
        FRAGMENT,
        /** Not TCP or UDP, or an IPv6 extension chain that does not end in one. */
        NOT_TCP_OR_UDP
    }

    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private int csumStart;
    private int csumOffset;
    private int l4HeaderEnd;
    private int l4Protocol;
    private int ipVersion;
    private int l3Offset;

    /**
     * Parses {@code length} bytes at {@code address}.
     *
     * @return null when csum_start/csum_offset were found, else the reason
     */
    public Failure setup(long address, int length) {
        if (length < ETH_HLEN) {
            return Failure.TRUNCATED;
        }
        frame.wrap(address, length);
        int off = 12;
        int type = u16(off);
        if (type == ETH_P_8021Q || type == ETH_P_8021AD) {
            if (length < ETH_HLEN + 4) {
                return Failure.TRUNCATED;
            }
            off += 4;
            type = u16(off);
        }
        off += 2;
        l3Offset = off;
        if (type == ETH_P_IP) {
            ipVersion = 4;
            return ipv4(off, length);
        }
        if (type == ETH_P_IPV6) {
            ipVersion = 6;
            return ipv6(off, length);
        }
        return Failure.NOT_IP;
    }

    /** skb_checksum_setup_ipv4. */
    private Failure ipv4(int off, int length) {
        if (off + 20 > length) {
            return Failure.TRUNCATED;
        }
        int ihl = (u8(off) & 0x0f) * 4;
        if (ihl < 20) {
            return Failure.BAD_IP_HEADER;
        }
        if ((u16(off + 6) & 0x3fff) != 0) { // ip_is_fragment: MF or a fragment offset
            return Failure.FRAGMENT;
        }
        return l4(u8(off + 9), off + ihl, length);
    }

    /** skb_checksum_setup_ipv6: the extension-header walk, bounded by the IPv6 payload length. */
    private Failure ipv6(int start, int length) {
        if (start + IPV6_HLEN > length) {
            return Failure.TRUNCATED;
        }
        int nexthdr = u8(start + 6);
        int end = start + IPV6_HLEN + u16(start + 4); // Linux: len = sizeof(ipv6hdr) + payload_len
        int off = start + IPV6_HLEN;
        for (int i = 0; i < MAX_EXTENSION_HEADERS && off <= end; i++) {
            switch (nexthdr) {
                case NEXTHDR_DEST:
                case NEXTHDR_HOP:
                case NEXTHDR_ROUTING:
                    if (off + 2 > length) {
                        return Failure.TRUNCATED;
                    }
                    nexthdr = u8(off);
                    off += (u8(off + 1) + 1) << 3; // ipv6_optlen
                    break;
                case NEXTHDR_AUTH:
                    if (off + 2 > length) {
                        return Failure.TRUNCATED;
                    }
                    nexthdr = u8(off);
                    off += (u8(off + 1) + 2) << 2; // ipv6_authlen
                    break;
                case NEXTHDR_FRAGMENT:
                    if (off + 8 > length) {
                        return Failure.TRUNCATED;
                    }
                    if ((u16(off + 2) & 0xfff9) != 0) { // IP6_OFFSET | IP6_MF
                        return Failure.FRAGMENT;
                    }
                    nexthdr = u8(off);
                    off += 8;
                    break;
                default:
                    return l4(nexthdr, off, length);
            }
        }
        return Failure.NOT_TCP_OR_UDP;
    }

    /** skb_checksum_setup_ip + skb_partial_csum_set: the checksum field must lie inside the frame. */
    private Failure l4(int protocol, int off, int length) {
        int headerEnd;
        if (protocol == IPPROTO_TCP) {
            if (off + 20 > length) {
                return Failure.TRUNCATED;
            }
            int doff = (u8(off + 12) >>> 4) * 4;
            headerEnd = off + Math.max(doff, 20);
            csumOffset = TCP_CHECK;
        } else if (protocol == IPPROTO_UDP) {
            if (off + 8 > length) {
                return Failure.TRUNCATED;
            }
            headerEnd = off + 8;
            csumOffset = UDP_CHECK;
        } else {
            return Failure.NOT_TCP_OR_UDP;
        }
        if (headerEnd > length || off > 0xffff) {
            return Failure.TRUNCATED;
        }
        csumStart = off;
        l4HeaderEnd = headerEnd;
        l4Protocol = protocol;
        return null;
    }

    /**
     * After a successful {@link #setup}: writes {@code ~csum_tcpudp_magic(saddr, daddr, len, proto, 0)}
     * (IPv4) or {@code ~csum_ipv6_magic(...)} (IPv6) into the checksum field, with {@code len} the
     * bytes from csum_start to the frame's end, as Linux's {@code recalculate} branch.
     */
    public void recalculatePseudoHeader() {
        int length = frame.capacity();
        long sum = 0;
        if (ipVersion == 4) {
            for (int i = 12; i < 20; i += 2) {
                sum += u16(l3Offset + i);
            }
        } else {
            for (int i = 8; i < 40; i += 2) {
                sum += u16(l3Offset + i);
            }
        }
        int l4Length = length - csumStart;
        sum += l4Protocol + (l4Length & 0xffff) + (l4Length >>> 16);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        // ~csum_*_magic = the folded sum itself (not inverted): the partial checksum
        frame.putShort(csumStart + csumOffset, (short) sum, ByteOrder.BIG_ENDIAN);
    }

    public int csumStart() {
        return csumStart;
    }

    public int csumOffset() {
        return csumOffset;
    }

    /** Offset just past the TCP (data offset) or UDP header. */
    public int l4HeaderEnd() {
        return l4HeaderEnd;
    }

    /** {@link #IPPROTO_TCP} or {@link #IPPROTO_UDP}. */
    public int l4Protocol() {
        return l4Protocol;
    }

    /** Offset of the IP header (after the Ethernet header and a VLAN tag, if any). */
    public int l3Offset() {
        return l3Offset;
    }

    /** 4 or 6. */
    public int ipVersion() {
        return ipVersion;
    }

    private int u8(int at) {
        return frame.getByte(at) & 0xff;
    }

    private int u16(int at) {
        return frame.getShort(at, ByteOrder.BIG_ENDIAN) & 0xffff;
    }
}
