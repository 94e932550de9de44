package org.xnb.vnic.testing;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Just enough Ethernet, ARP, IPv4 and ICMP to play a made-up neighbour in tests: recognise an
 * ARP request or echo request read from a TAP fd and build the reply, checksums included.
 *
 * <pre>
 *  Ethernet: dst[6] src[6] ethertype u16 (BE)                               = 14 bytes
 *  ARP/IPv4 (28): htype=1 ptype=0x0800 hlen=6 plen=4 oper(1 req,2 reply) sha[6] spa[4] tha[6] tpa[4]
 *  IPv4:     ver/ihl tos totlen id flags/frag ttl proto csum src[4] dst[4]  = 20 bytes (ihl=5)
 *  ICMP:     type(8 req, 0 reply) code csum id seq data...
 * </pre>
 */
public final class EtherFrames {
    public static final int ETH_HLEN = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ARP_LEN = 28;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private EtherFrames() {
    }

    public static int etherType(DirectBuffer b, int frame) {
        return b.getShort(frame + 12, BE) & 0xffff;
    }

    /** Parses "a.b.c.d" into a big-endian int. */
    public static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int v = 0;
        for (String s : p) {
            int octet = Integer.parseInt(s);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /** Parses "aa:bb:cc:dd:ee:ff". */
    public static byte[] mac(String text) {
        String[] p = text.split(":");
        if (p.length != 6) {
            throw new IllegalArgumentException("not a MAC: " + text);
        }
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return m;
    }

    /** Whether the frame is an ARP request asking who has {@code targetIp}. */
    public static boolean isArpRequestFor(DirectBuffer b, int frame, int length, int targetIp) {
        return length >= ETH_HLEN + ARP_LEN
                && etherType(b, frame) == ETHERTYPE_ARP
                && (b.getShort(frame + ETH_HLEN + 6, BE) & 0xffff) == 1
                && b.getInt(frame + ETH_HLEN + 24, BE) == targetIp;
    }

    /**
     * Writes the ARP reply "targetIp is at myMac" to the request at {@code req}.
     *
     * @return the reply's length (42)
     */
    public static int writeArpReply(DirectBuffer req, int reqFrame, MutableDirectBuffer out, int outFrame, byte[] myMac) {
        int a = reqFrame + ETH_HLEN;
        int o = outFrame + ETH_HLEN;
        out.putBytes(outFrame, req, a + 8, 6);           // dst = requester's MAC (sha)
        out.putBytes(outFrame + 6, myMac);               // src = us
        out.putShort(outFrame + 12, (short) ETHERTYPE_ARP, BE);
        out.putShort(o, (short) 1, BE);                  // htype Ethernet
        out.putShort(o + 2, (short) ETHERTYPE_IPV4, BE); // ptype IPv4
        out.putByte(o + 4, (byte) 6);
        out.putByte(o + 5, (byte) 4);
        out.putShort(o + 6, (short) 2, BE);              // reply
        out.putBytes(o + 8, myMac);                      // sha = us
        out.putInt(o + 14, req.getInt(a + 24, BE), BE);  // spa = the asked-for IP
        out.putBytes(o + 18, req, a + 8, 6);             // tha = requester
        out.putInt(o + 24, req.getInt(a + 14, BE), BE);  // tpa = requester's IP
        return ETH_HLEN + ARP_LEN;
    }

    public static int ipProtocol(DirectBuffer b, int frame) {
        return b.getByte(frame + ETH_HLEN + 9) & 0xff;
    }

    public static int ipHeaderLength(DirectBuffer b, int frame) {
        return (b.getByte(frame + ETH_HLEN) & 0x0f) * 4;
    }

    public static int ipSource(DirectBuffer b, int frame) {
        return b.getInt(frame + ETH_HLEN + 12, BE);
    }

    public static int ipDestination(DirectBuffer b, int frame) {
        return b.getInt(frame + ETH_HLEN + 16, BE);
    }

    /** Whether the frame is an ICMP echo request to {@code dstIp} with a correct IP header checksum. */
    public static boolean isEchoRequestTo(DirectBuffer b, int frame, int length, int dstIp) {
        if (length < ETH_HLEN + 20 + 8 || etherType(b, frame) != ETHERTYPE_IPV4 || ipProtocol(b, frame) != IPPROTO_ICMP) {
            return false;
        }
        int ihl = ipHeaderLength(b, frame);
        return ipDestination(b, frame) == dstIp
                && InetChecksum.verify(b, frame + ETH_HLEN, ihl)
                && (b.getByte(frame + ETH_HLEN + ihl) & 0xff) == 8;
    }

    /**
     * Writes the echo reply to the echo request at {@code req}: addresses swapped, type 0, same
     * id, sequence and data, fresh IP and ICMP checksums.
     *
     * @return the reply's length
     */
    public static int writeEchoReply(DirectBuffer req, int reqFrame, int reqLength, MutableDirectBuffer out, int outFrame,
            byte[] myMac) {
        int ihl = ipHeaderLength(req, reqFrame);
        int ipLen = req.getShort(reqFrame + ETH_HLEN + 2, BE) & 0xffff;
        if (ETH_HLEN + ipLen > reqLength || ipLen < ihl + 8) {
            throw new IllegalArgumentException("truncated echo request: ip total length " + ipLen + ", frame " + reqLength);
        }
        out.putBytes(outFrame, req, reqFrame + 6, 6);    // dst = sender
        out.putBytes(outFrame + 6, myMac);
        out.putShort(outFrame + 12, (short) ETHERTYPE_IPV4, BE);
        int ip = outFrame + ETH_HLEN;
        out.putBytes(ip, req, reqFrame + ETH_HLEN, ipLen);
        out.putInt(ip + 12, ipDestination(req, reqFrame), BE);
        out.putInt(ip + 16, ipSource(req, reqFrame), BE);
        out.putByte(ip + 8, (byte) 64);                  // fresh TTL
        out.putShort(ip + 10, (short) 0);
        out.putShort(ip + 10, (short) InetChecksum.compute(out, ip, ihl), BE);
        int icmp = ip + ihl;
        out.putByte(icmp, (byte) 0);                     // echo reply
        out.putShort(icmp + 2, (short) 0);
        out.putShort(icmp + 2, (short) InetChecksum.compute(out, icmp, ipLen - ihl), BE);
        return ETH_HLEN + ipLen;
    }
}
