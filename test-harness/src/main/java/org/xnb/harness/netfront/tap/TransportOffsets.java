package org.xnb.harness.netfront.tap;

import org.agrona.DirectBuffer;

/**
 * Where a frame's transport header and checksum field are, found by parsing Ethernet (one
 * optional VLAN tag), IPv4 (options) or IPv6 (no extension headers), then TCP or UDP: what a
 * netfront needs to turn {@code NETRXF_csum_blank} into a virtio-net {@code NEEDS_CSUM} header
 * (csum_start, csum_offset) and a GSO frame's {@code hdr_len}. Linux's netfront does the same
 * with {@code skb_checksum_setup}.
 *
 * <p>Reusable, allocation-free: {@link #parse} fills the fields and returns whether it understood
 * the frame. One instance per thread.
 */
public final class TransportOffsets {
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    private static final int ETH_HLEN = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int TCP_CSUM = 16;
    private static final int UDP_CSUM = 6;

    /** Offset of the TCP/UDP header from the start of the Ethernet frame. */
    public int transportStart;
    /** Offset of the checksum field from {@link #transportStart}. */
    public int checksumOffset;
    /** Ethernet + IP + transport header bytes. */
    public int headerLength;
    public int protocol;
    public boolean ipv6;

    /** Parses the frame of {@code length} bytes at {@code at}; false if it is not TCP/UDP over IP. */
    public boolean parse(DirectBuffer b, int at, int length) {
        if (length < ETH_HLEN) {
            return false;
        }
        int l3 = ETH_HLEN;
        int type = be16(b, at + 12);
        if (type == ETHERTYPE_VLAN) {
            if (length < ETH_HLEN + 4) {
                return false;
            }
            type = be16(b, at + 16);
            l3 += 4;
        }
        int l4;
        if (type == ETHERTYPE_IPV4) {
            if (length < l3 + 20) {
                return false;
            }
            int ihl = (b.getByte(at + l3) & 0x0f) * 4;
            if (ihl < 20 || length < l3 + ihl) {
                return false;
            }
            protocol = b.getByte(at + l3 + 9) & 0xff;
            l4 = l3 + ihl;
            ipv6 = false;
        } else if (type == ETHERTYPE_IPV6) {
            if (length < l3 + 40) {
                return false;
            }
            protocol = b.getByte(at + l3 + 6) & 0xff;
            l4 = l3 + 40;
            ipv6 = true;
        } else {
            return false;
        }
        int transportHeader;
        if (protocol == PROTO_TCP) {
            if (length < l4 + 20) {
                return false;
            }
            transportHeader = ((b.getByte(at + l4 + 12) & 0xf0) >> 4) * 4;
            checksumOffset = TCP_CSUM;
        } else if (protocol == PROTO_UDP) {
            transportHeader = 8;
            checksumOffset = UDP_CSUM;
        } else {
            return false;
        }
        if (transportHeader < 8 || length < l4 + transportHeader) {
            return false;
        }
        transportStart = l4;
        headerLength = l4 + transportHeader;
        return true;
    }

    private static int be16(DirectBuffer b, int at) {
        return (b.getByte(at) & 0xff) << 8 | b.getByte(at + 1) & 0xff;
    }
}
