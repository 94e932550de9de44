package org.xnb.vnic.frame;

import org.agrona.DirectBuffer;

/**
 * Finds the transport header behind an IPv4 or IPv6 header without allocating. The answer is
 * packed into one {@code long}:
 *
 * <pre>
 *   bits  0-7   protocol / final next header
 *   bits  8-39  offset of the transport header (absolute, in the buffer)
 *   bit  40     fragment (IPv4 MF or offset; IPv6 fragment header present)
 *   bit  41     non-initial fragment (offset != 0): no transport header here
 * </pre>
 *
 * IPv6 extension headers walked, as illumos' {@code mac_ip_hdr_length_v6}: hop-by-hop (0),
 * routing (43), fragment (44), destination options (60); at most {@link #MAX_EXTENSION_HEADERS}
 * of them (bounded work on hostile input: a longer chain is malformed). The walk stops after
 * the fragment header of a non-initial fragment, whose payload is not a header.
 */
public final class IpHeaders {
    public static final int MAX_EXTENSION_HEADERS = 8;
    public static final int IPV4_MIN_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int PROTO_HOPOPTS = 0;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ROUTING = 43;
    public static final int PROTO_FRAGMENT = 44;
    public static final int PROTO_ICMPV6 = 58;
    public static final int PROTO_DSTOPTS = 60;
    public static final int PROTO_SCTP = 132;
    public static final long MALFORMED = -1L;

    private static final long FRAGMENT = 1L << 40;
    private static final long LATER_FRAGMENT = 1L << 41;

    private IpHeaders() {
    }

    /** IPv4 header at {@code l3}; {@code end} = one past the last byte of the frame. */
    public static long ipv4(DirectBuffer b, int l3, int end) {
        if (end - l3 < IPV4_MIN_HEADER) {
            return MALFORMED;
        }
        int vihl = EtherHeader.u8(b, l3);
        int ihl = (vihl & 0x0F) * 4;
        if ((vihl >>> 4) != 4 || ihl < IPV4_MIN_HEADER || l3 + ihl > end) {
            return MALFORMED;
        }
        int fragField = EtherHeader.u16(b, l3 + 6);
        long flags = 0;
        if ((fragField & 0x3FFF) != 0) { // MF or offset
            flags |= FRAGMENT;
            if ((fragField & 0x1FFF) != 0) {
                flags |= LATER_FRAGMENT;
            }
        }
        return EtherHeader.u8(b, l3 + 9) | ((long) (l3 + ihl) << 8) | flags;
    }

    /** IPv6 header at {@code l3} and its extension headers. */
    public static long ipv6(DirectBuffer b, int l3, int end) {
        if (end - l3 < IPV6_HEADER || (EtherHeader.u8(b, l3) >>> 4) != 6) {
            return MALFORMED;
        }
        int next = EtherHeader.u8(b, l3 + 6);
        int at = l3 + IPV6_HEADER;
        long flags = 0;
        for (int i = 0; ; i++) {
            int length;
            switch (next) {
                case PROTO_HOPOPTS, PROTO_ROUTING, PROTO_DSTOPTS -> {
                    if (end - at < 8) {
                        return MALFORMED;
                    }
                    length = (EtherHeader.u8(b, at + 1) + 1) * 8;
                }
                case PROTO_FRAGMENT -> {
                    if (end - at < 8) {
                        return MALFORMED;
                    }
                    length = 8;
                    flags |= FRAGMENT;
                    if ((EtherHeader.u16(b, at + 2) & 0xFFF8) != 0) {
                        return EtherHeader.u8(b, at) | ((long) (at + 8) << 8) | flags | LATER_FRAGMENT;
                    }
                }
                default -> {
                    return next | ((long) at << 8) | flags;
                }
            }
            if (i == MAX_EXTENSION_HEADERS || end - at < length) {
                return MALFORMED;
            }
            next = EtherHeader.u8(b, at);
            at += length;
        }
    }

    /**
     * The end of the IPv4 packet at {@code l3}: its total length when that is shorter than the
     * frame (Ethernet pads short frames to 60 bytes; the padding is not the packet's).
     */
    public static int ipv4End(DirectBuffer b, int l3, int frameEnd) {
        if (frameEnd - l3 < 4) {
            return frameEnd;
        }
        int total = EtherHeader.u16(b, l3 + 2);
        return total >= IPV4_MIN_HEADER && l3 + total < frameEnd ? l3 + total : frameEnd;
    }

    /** The end of the IPv6 packet at {@code l3}: header + payload length when shorter than the frame. */
    public static int ipv6End(DirectBuffer b, int l3, int frameEnd) {
        if (frameEnd - l3 < 6) {
            return frameEnd;
        }
        int total = IPV6_HEADER + EtherHeader.u16(b, l3 + 4);
        return l3 + total < frameEnd ? l3 + total : frameEnd;
    }

    public static int protocol(long l4) {
        return (int) (l4 & 0xFF);
    }

    public static int l4Offset(long l4) {
        return (int) ((l4 >>> 8) & 0xFFFF_FFFFL);
    }

    public static boolean fragment(long l4) {
        return (l4 & FRAGMENT) != 0;
    }

    public static boolean laterFragment(long l4) {
        return (l4 & LATER_FRAGMENT) != 0;
    }

    /** The DS field: IPv4 TOS byte or IPv6 traffic class. */
    public static int dsField(DirectBuffer b, int l3, boolean v6) {
        return v6 ? (EtherHeader.u16(b, l3) >>> 4) & 0xFF : EtherHeader.u8(b, l3 + 1);
    }
}
