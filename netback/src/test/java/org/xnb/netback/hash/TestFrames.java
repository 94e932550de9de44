package org.xnb.netback.hash;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Ethernet frames with IPv4/IPv6 and TCP/UDP headers, built byte by byte for hash tests. */
public final class TestFrames {
    public static final int TCP = 6;
    public static final int UDP = 17;

    private TestFrames() {
    }

    public static byte[] ip(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** An IPv4 frame: Ethernet (+ VLAN tags), a header with {@code optionWords} of options, 20 bytes of transport. */
    public static byte[] ipv4(String src, String dst, int proto, int sport, int dport, int fragField, int optionWords,
            int... vlanTpids) {
        int l2 = 14 + 4 * vlanTpids.length;
        int ihl = 20 + 4 * optionWords;
        ByteBuffer b = ByteBuffer.allocate(l2 + ihl + 20).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, 0x0800, vlanTpids);
        b.put((byte) (0x40 | (ihl / 4))).put((byte) 0).putShort((short) (ihl + 20)).putShort((short) 1)
                .putShort((short) fragField).put((byte) 64).put((byte) proto).putShort((short) 0)
                .put(ip(src)).put(ip(dst));
        for (int i = 0; i < optionWords; i++) {
            b.putInt(0x01010101); // NOPs
        }
        b.putShort((short) sport).putShort((short) dport);
        return b.array();
    }

    public static byte[] ipv4(String src, String dst, int proto, int sport, int dport) {
        return ipv4(src, dst, proto, sport, dport, 0, 0);
    }

    /** An IPv6 frame with optional extension headers (each 8 bytes: next header, length 0). */
    public static byte[] ipv6(String src, String dst, int proto, int sport, int dport, int... extensionTypes) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 * extensionTypes.length + 20).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, 0x86dd);
        int first = extensionTypes.length > 0 ? extensionTypes[0] : proto;
        b.putInt(0x60000000).putShort((short) (8 * extensionTypes.length + 20)).put((byte) first).put((byte) 64)
                .put(ip(src)).put(ip(dst));
        for (int i = 0; i < extensionTypes.length; i++) {
            int next = i + 1 < extensionTypes.length ? extensionTypes[i + 1] : proto;
            b.put((byte) next).put((byte) 0).putShort((short) 0).putInt(0);
        }
        b.putShort((short) sport).putShort((short) dport);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, int type, int... vlanTpids) {
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        for (int tpid : vlanTpids) {
            b.putShort((short) tpid).putShort((short) 42);
        }
        b.putShort((short) type);
    }

    /** The bytes netif.h's Buffer[] holds: source, destination address, then the ports when asked. */
    public static byte[] tuple(String src, String dst, int sport, int dport, boolean ports) {
        byte[] s = ip(src);
        byte[] d = ip(dst);
        ByteBuffer b = ByteBuffer.allocate(s.length + d.length + (ports ? 4 : 0)).put(s).put(d);
        if (ports) {
            b.putShort((short) sport).putShort((short) dport);
        }
        return b.array();
    }

    /** Off-heap memory for frames: copy a frame in, hash at {@link #address()}. */
    public static final class Native {
        public final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));

        public long put(byte[] frame) {
            buffer.putBytes(0, frame);
            return buffer.addressOffset();
        }

        public long address() {
            return buffer.addressOffset();
        }
    }
}
