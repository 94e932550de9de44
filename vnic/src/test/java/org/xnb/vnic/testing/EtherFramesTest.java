package org.xnb.vnic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EtherFramesTest {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    @Test
    void checksumOfTheClassicIpv4HeaderExample() {
        // 20-byte header with its checksum field zeroed; the right checksum is 0xb861
        UnsafeBuffer b = new UnsafeBuffer(hex("450000730000400040110000c0a80001c0a800c7"));
        assertEquals(0xb861, InetChecksum.compute(b, 0, 20));
        b.putShort(10, (short) 0xb861, BE);
        assertTrue(InetChecksum.verify(b, 0, 20));
        assertEquals(InetChecksum.fold(0x1fffeL), 0x0000);
        assertEquals(0xfeff, InetChecksum.compute(new UnsafeBuffer(new byte[] {1}), 0, 1)); // odd length pads
    }

    @Test
    void arpReplyAnswersTheRequest() {
        UnsafeBuffer req = new UnsafeBuffer(hex("ffffffffffff" + "0a0000000001" + "0806"
                + "0001" + "0800" + "06" + "04" + "0001" + "0a0000000001" + "c6120101" + "000000000000" + "c6120102"));
        int target = EtherFrames.ipv4("198.18.1.2");
        assertTrue(EtherFrames.isArpRequestFor(req, 0, 42, target));
        assertFalse(EtherFrames.isArpRequestFor(req, 0, 42, EtherFrames.ipv4("198.18.1.3")));
        UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        assertEquals(42, EtherFrames.writeArpReply(req, 0, out, 0, EtherFrames.mac("02:00:5e:18:01:02")));
        assertEquals("0a0000000001" + "02005e180102" + "0806" + "0001" + "0800" + "06" + "04" + "0002"
                + "02005e180102" + "c6120102" + "0a0000000001" + "c6120101", hex(out, 42));
    }

    @Test
    void echoReplySwapsAddressesAndHasValidChecksums() {
        String ip = "45000020" + "12340000" + "4001" + "0000" + "c6120101" + "c6120102";
        String icmp = "0800" + "0000" + "abcd" + "0001" + "deadbeef";
        UnsafeBuffer req = new UnsafeBuffer(hex("02005e180102" + "0a0000000001" + "0800" + ip + icmp));
        req.putShort(14 + 10, (short) InetChecksum.compute(req, 14, 20), BE);
        req.putShort(34 + 2, (short) InetChecksum.compute(req, 34, 12), BE);
        int target = EtherFrames.ipv4("198.18.1.2");
        assertTrue(EtherFrames.isEchoRequestTo(req, 0, 46, target));
        UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        int n = EtherFrames.writeEchoReply(req, 0, 46, out, 0, EtherFrames.mac("02:00:5e:18:01:02"));
        assertEquals(46, n);
        assertEquals("0a0000000001" + "02005e180102" + "0800", hex(out, 14));
        assertEquals(EtherFrames.ipv4("198.18.1.2"), EtherFrames.ipSource(out, 0));
        assertEquals(EtherFrames.ipv4("198.18.1.1"), EtherFrames.ipDestination(out, 0));
        assertTrue(InetChecksum.verify(out, 14, 20), "IP checksum");
        assertTrue(InetChecksum.verify(out, 34, 12), "ICMP checksum");
        assertEquals(0, out.getByte(34));
        assertEquals(0xabcd, out.getShort(38, BE) & 0xffff);
        assertEquals(0xdeadbeef, out.getInt(42, BE));
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static String hex(UnsafeBuffer b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b.getByte(i) & 0xff));
        }
        return s.toString();
    }
}
