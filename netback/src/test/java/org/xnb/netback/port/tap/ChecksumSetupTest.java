package org.xnb.netback.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.xnb.netback.port.tap.TestFrames.TCP;
import static org.xnb.netback.port.tap.TestFrames.UDP;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.port.tap.ChecksumSetup.Failure;

/** skb_checksum_setup's rules on crafted frames: where the checksum is, and every way to lie. */
class ChecksumSetupTest {
    private final ChecksumSetup setup = new ChecksumSetup();

    private Failure run(byte[] frame) {
        UnsafeBuffer b = TestFrames.offHeap(frame);
        return setup.setup(b.addressOffset(), frame.length);
    }

    private void assertFound(byte[] frame, int csumStart, int csumOffset, int l4End) {
        assertNull(run(frame));
        assertEquals(csumStart, setup.csumStart());
        assertEquals(csumOffset, setup.csumOffset());
        assertEquals(l4End, setup.l4HeaderEnd());
    }

    @Test
    void ipv4Tcp() {
        assertFound(TestFrames.ipv4(TCP, 5, 5, 100, false, 1), 34, 16, 54);
        assertEquals(4, setup.ipVersion());
        assertEquals(TCP, setup.l4Protocol());
    }

    @Test
    void ipv4TcpWithIpAndTcpOptions() {
        assertFound(TestFrames.ipv4(TCP, 6, 8, 100, false, 2), 38, 16, 38 + 32);
    }

    @Test
    void ipv4Udp() {
        assertFound(TestFrames.ipv4(UDP, 5, 0, 100, false, 3), 34, 6, 42);
        assertEquals(UDP, setup.l4Protocol());
    }

    @Test
    void vlanTaggedIpv4Tcp() {
        assertFound(TestFrames.ipv4(TCP, 5, 5, 10, true, 4), 38, 16, 58);
    }

    @Test
    void ipv6TcpAfterHopByHopAndDestinationOptions() {
        byte[] f = TestFrames.ipv6(TCP, 100, new int[][] {{ChecksumSetup.NEXTHDR_HOP, 8}, {ChecksumSetup.NEXTHDR_DEST, 16}}, 5);
        assertFound(f, 14 + 40 + 8 + 16, 16, 14 + 40 + 24 + 20);
        assertEquals(6, setup.ipVersion());
    }

    @Test
    void ipv6UdpAfterRoutingAndAtomicFragmentHeader() {
        byte[] f = TestFrames.ipv6(UDP, 10, new int[][] {{ChecksumSetup.NEXTHDR_ROUTING, 24}, {ChecksumSetup.NEXTHDR_FRAGMENT, 8}}, 6);
        assertFound(f, 14 + 40 + 32, 6, 14 + 40 + 32 + 8);
    }

    @Test
    void ipv6AuthenticationHeaderLengthIsIn4ByteUnitsPlus2() {
        byte[] f = TestFrames.ipv6(TCP, 10, new int[][] {{ChecksumSetup.NEXTHDR_AUTH, 24}}, 7);
        f[14 + 40 + 1] = 4; // (4 + 2) * 4 = 24 bytes
        assertFound(f, 14 + 40 + 24, 16, 14 + 40 + 24 + 20);
    }

    @Test
    void fragmentsAreRefused() {
        byte[] v4 = TestFrames.ipv4(UDP, 5, 0, 10, false, 8);
        v4[14 + 6] = 0x20; // MF
        assertEquals(Failure.FRAGMENT, run(v4));
        v4[14 + 6] = 0;
        v4[14 + 7] = 1; // offset 8
        assertEquals(Failure.FRAGMENT, run(v4));

        byte[] v6 = TestFrames.ipv6(TCP, 10, new int[][] {{ChecksumSetup.NEXTHDR_FRAGMENT, 8}}, 9);
        v6[14 + 40 + 3] = 1; // MF
        assertEquals(Failure.FRAGMENT, run(v6));
    }

    @Test
    void otherProtocolsAreRefused() {
        assertEquals(Failure.NOT_TCP_OR_UDP, run(TestFrames.ipv4(TestFrames.ICMP, 5, 0, 10, false, 10)));
        byte[] arp = TestFrames.ipv4(TCP, 5, 5, 10, false, 11);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(Failure.NOT_IP, run(arp));
        byte[] qinq = TestFrames.ipv4(TCP, 5, 5, 10, true, 12);
        qinq[16] = (byte) 0x81; // a second tag: not skipped
        qinq[17] = 0x00;
        assertEquals(Failure.NOT_IP, run(qinq));
    }

    @Test
    void ihlBelowFiveIsABadHeader() {
        byte[] f = TestFrames.ipv4(TCP, 5, 5, 10, false, 13);
        f[14] = 0x44;
        assertEquals(Failure.BAD_IP_HEADER, run(f));
    }

    @Test
    void everyTruncationOfEveryKindOfFrameFailsCleanly() {
        byte[][] frames = {
            TestFrames.ipv4(TCP, 6, 8, 0, false, 14),
            TestFrames.ipv4(UDP, 5, 0, 0, true, 15),
            TestFrames.ipv6(TCP, 0, new int[][] {{ChecksumSetup.NEXTHDR_HOP, 8}, {ChecksumSetup.NEXTHDR_FRAGMENT, 8}}, 16),
        };
        for (byte[] full : frames) {
            assertNull(run(full));
            for (int len = 0; len < full.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(full, len);
                assertNotNull(run(cut), "a " + len + "-byte prefix of a " + full.length + "-byte frame passed");
            }
        }
    }

    @Test
    void lyingLengthsFailWithoutReadingPastTheFrame() {
        byte[] tcpDoff = TestFrames.ipv4(TCP, 5, 5, 0, false, 17);
        tcpDoff[34 + 12] = (byte) 0xf0; // 60-byte TCP header in a 20-byte one
        assertEquals(Failure.TRUNCATED, run(tcpDoff));

        byte[] ihl = TestFrames.ipv4(TCP, 5, 5, 0, false, 18);
        ihl[14] = 0x4f; // 60-byte IP header
        assertEquals(Failure.TRUNCATED, run(ihl));

        byte[] ext = TestFrames.ipv6(TCP, 0, new int[][] {{ChecksumSetup.NEXTHDR_DEST, 8}}, 19);
        ext[14 + 40 + 1] = (byte) 200; // 1608-byte extension header
        assertNotNull(run(ext));

        byte[] payloadLen = TestFrames.ipv6(TCP, 0, new int[][] {{ChecksumSetup.NEXTHDR_HOP, 8}}, 20);
        payloadLen[14 + 4] = 0;
        payloadLen[14 + 5] = 0; // payload_len 0: the walk stops before TCP, as Linux's off <= len
        assertEquals(Failure.NOT_TCP_OR_UDP, run(payloadLen));
    }

    @Test
    void pseudoHeaderRecalculationCompletesToTheRealChecksum() {
        for (byte[] f : new byte[][] {TestFrames.ipv4(TCP, 5, 5, 1001, false, 21),
                TestFrames.ipv6(TCP, 999, new int[][] {{ChecksumSetup.NEXTHDR_HOP, 8}}, 22),
                TestFrames.ipv4(UDP, 5, 0, 333, true, 23)}) {
            UnsafeBuffer b = TestFrames.offHeap(f);
            assertNull(setup.setup(b.addressOffset(), f.length));
            int start = setup.csumStart();
            int field = start + setup.csumOffset();
            int l4Len = f.length - start;
            // the real checksum, computed independently: pseudo-header + segment with a zero field
            b.putShort(field, (short) 0);
            long pseudo;
            int l3 = start - (setup.ipVersion() == 4 ? 20 : 48);
            if (setup.ipVersion() == 4) {
                pseudo = TestFrames.sum(b, l3 + 12, 8);
            } else {
                pseudo = TestFrames.sum(b, l3 + 8, 32);
            }
            pseudo += setup.l4Protocol() + l4Len;
            int real = ~TestFrames.fold(pseudo + TestFrames.sum(b, start, l4Len)) & 0xffff;

            setup.recalculatePseudoHeader();
            // what the kernel does with NEEDS_CSUM: fold the sum from csum_start, field included
            int completed = ~TestFrames.fold(TestFrames.sum(b, start, l4Len)) & 0xffff;
            assertEquals(real, completed, "frame of " + f.length + " bytes");
            assertEquals(TestFrames.fold(pseudo), b.getShort(field, ByteOrder.BIG_ENDIAN) & 0xffff);
        }
    }
}
