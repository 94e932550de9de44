package org.xnb.tools.capture;

import org.agrona.concurrent.UnsafeBuffer;

/** Real frames for capture tests: an ARP request and an ICMP echo request with correct checksums. */
final class TestFrames {
    static final byte[] MAC_A = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static final byte[] MAC_B = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    static final byte[] IP_A = {(byte) 198, 18, 0, 1};
    static final byte[] IP_B = {(byte) 198, 18, 0, 2};

    private TestFrames() {
    }

    /** 198.18.0.1 (02:00:00:00:00:01) asks who has 198.18.0.2; 42 bytes. */
    static UnsafeBuffer arpRequest() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[42]);
        for (int i = 0; i < 6; i++) {
            b.putByte(i, (byte) 0xff);
        }
        b.putBytes(6, MAC_A);
        b.putShort(12, be(0x0806));
        b.putShort(14, be(1)); // Ethernet
        b.putShort(16, be(0x0800));
        b.putByte(18, (byte) 6);
        b.putByte(19, (byte) 4);
        b.putShort(20, be(1)); // request
        b.putBytes(22, MAC_A);
        b.putBytes(28, IP_A);
        b.putBytes(38, IP_B); // target MAC left zero
        return b;
    }

    /** An ICMP echo request A -> B with {@code payload} bytes of data, id 0x1234, sequence {@code seq}. */
    static UnsafeBuffer icmpEcho(int seq, int payload) {
        int ipLen = 20 + 8 + payload;
        UnsafeBuffer b = new UnsafeBuffer(new byte[14 + ipLen]);
        b.putBytes(0, MAC_B);
        b.putBytes(6, MAC_A);
        b.putShort(12, be(0x0800));
        b.putByte(14, (byte) 0x45);
        b.putShort(16, be(ipLen));
        b.putShort(18, be(seq));
        b.putByte(22, (byte) 64);
        b.putByte(23, (byte) 1);
        b.putBytes(26, IP_A);
        b.putBytes(30, IP_B);
        b.putShort(24, be(checksum(b, 14, 20)));
        b.putByte(34, (byte) 8); // echo request
        b.putShort(38, be(0x1234));
        b.putShort(40, be(seq));
        for (int i = 0; i < payload; i++) {
            b.putByte(42 + i, (byte) i);
        }
        b.putShort(36, be(checksum(b, 34, 8 + payload)));
        return b;
    }

    static short be(int v) {
        return Short.reverseBytes((short) v); // UnsafeBuffer is little-endian on x86
    }

    static int checksum(UnsafeBuffer b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b.getByte(off + i) & 0xff;
            int lo = i + 1 < len ? b.getByte(off + i + 1) & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
