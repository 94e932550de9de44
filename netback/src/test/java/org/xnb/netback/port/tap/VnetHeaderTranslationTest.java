package org.xnb.netback.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.netback.port.tap.TestFrames.TCP;
import static org.xnb.netback.port.tap.TestFrames.UDP;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;
import org.xnb.vnic.tap.VirtioNetHeader;

/** FrameMetadata <-> virtio_net_hdr, both ways, byte for byte. */
class VnetHeaderTranslationTest {
    private static final int V1 = VirtioNetHeader.SIZE_V1;
    private final TapPortCounters counters = new TapPortCounters();
    private final VnetHeaderEncoder encoder = new VnetHeaderEncoder(counters);
    private final VnetHeaderDecoder decoder = new VnetHeaderDecoder(counters);
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[16]);
    private final FrameMetadata metadata = new FrameMetadata();

    private boolean encode(byte[] frame) {
        header.setMemory(0, 16, (byte) 0x5a); // stale bytes must be overwritten
        UnsafeBuffer f = TestFrames.offHeap(frame);
        return encoder.encode(header, 0, V1, f.addressOffset(), frame.length, metadata);
    }

    /** flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers. */
    private void assertHeader(int... expected) {
        int[] actual = {VirtioNetHeader.flags(header, 0), VirtioNetHeader.gsoType(header, 0),
            VirtioNetHeader.hdrLen(header, 0), VirtioNetHeader.gsoSize(header, 0), VirtioNetHeader.csumStart(header, 0),
            VirtioNetHeader.csumOffset(header, 0), VirtioNetHeader.numBuffers(header, 0)};
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual),
                VirtioNetHeader.toString(header, 0, V1));
    }

    @Test
    void gsoTcpv4WithBlankChecksum() {
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);
        byte[] f = TestFrames.ipv4(TCP, 5, 8, 20000, false, 1);
        assertTrue(encode(f));
        assertHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 34 + 32, 1448, 34, 16, 0);
        assertEquals(1, counters.gsoFrames);
        assertEquals(1, counters.partialChecksumFrames);
    }

    @Test
    void gsoTcpv6() {
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV6, 1428).checksum(FrameMetadata.CSUM_BLANK);
        assertTrue(encode(TestFrames.ipv6(TCP, 9000, new int[][] {{ChecksumSetup.NEXTHDR_DEST, 8}}, 2)));
        assertHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6, 14 + 48 + 20, 1428, 62, 16, 0);
    }

    @Test
    void gsoWithoutBlankChecksumGetsItsPseudoHeaderRewritten() {
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1448);
        byte[] f = TestFrames.ipv4(TCP, 5, 5, 5000, false, 3);
        UnsafeBuffer b = TestFrames.offHeap(f);
        b.putShort(34 + 16, (short) 0x1234);
        assertTrue(encoder.encode(header, 0, V1, b.addressOffset(), f.length, metadata));
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(header, 0));
        long pseudo = TestFrames.sum(b, 14 + 12, 8) + TCP + (f.length - 34);
        assertEquals(TestFrames.fold(pseudo), b.getShort(34 + 16, ByteOrder.BIG_ENDIAN) & 0xffff);
    }

    @Test
    void blankChecksumUdpAndVlan() {
        metadata.reset().checksum(FrameMetadata.CSUM_BLANK);
        assertTrue(encode(TestFrames.ipv4(UDP, 5, 0, 100, false, 4)));
        assertHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 34 + 8, 0, 34, 6, 0);
        assertTrue(encode(TestFrames.ipv4(TCP, 5, 5, 100, true, 5)));
        assertHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 38 + 18, 0, 38, 16, 0);
    }

    @Test
    void blankChecksumDoesNotTouchTheFrame() {
        metadata.reset().checksum(FrameMetadata.CSUM_BLANK | FrameMetadata.DATA_VALIDATED);
        byte[] f = TestFrames.ipv4(TCP, 5, 5, 100, false, 6);
        UnsafeBuffer b = TestFrames.offHeap(f);
        assertTrue(encoder.encode(header, 0, V1, b.addressOffset(), f.length, metadata));
        byte[] after = new byte[f.length];
        b.getBytes(0, after);
        assertEquals(java.util.Arrays.toString(f), java.util.Arrays.toString(after));
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(header, 0), "NEEDS_CSUM wins over DATA_VALID");
    }

    @Test
    void dataValidatedAndPlain() {
        metadata.reset().checksum(FrameMetadata.DATA_VALIDATED);
        assertTrue(encode(TestFrames.ipv4(TestFrames.ICMP, 5, 0, 10, false, 7)));
        assertHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0, 0);
        metadata.reset();
        byte[] arp = new byte[42];
        assertTrue(encode(arp));
        assertHeader(0, 0, 0, 0, 0, 0, 0);
        assertEquals(0, counters.drops());
    }

    @Test
    void framesThatContradictTheirMetadataAreDroppedAndCounted() {
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);
        assertFalse(encode(TestFrames.ipv6(TCP, 100, new int[0][], 8)), "TCPV4 GSO on an IPv6 frame");
        assertFalse(encode(TestFrames.ipv4(UDP, 5, 0, 3000, false, 9)), "TCP GSO on UDP");
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 0);
        assertFalse(encode(TestFrames.ipv4(TCP, 5, 5, 3000, false, 10)), "gso_size 0");
        metadata.reset().gso(7, 1000);
        assertFalse(encode(TestFrames.ipv4(TCP, 5, 5, 3000, false, 11)), "unknown GSO type");
        assertEquals(4, counters.dropsBadGso);

        metadata.reset().checksum(FrameMetadata.CSUM_BLANK);
        assertFalse(encode(TestFrames.ipv4(TestFrames.ICMP, 5, 0, 10, false, 12)));
        byte[] cut = java.util.Arrays.copyOf(TestFrames.ipv4(TCP, 5, 5, 0, false, 13), 40);
        assertFalse(encode(cut));
        assertEquals(2, counters.dropsChecksumSetup);
        assertFalse(encode(new byte[13]));
        assertEquals(1, counters.dropsRunt);
        assertEquals(7, counters.drops());
        assertEquals(0, counters.gsoFrames);
    }

    // ---- TAP -> guest ----

    private boolean decode(int flags, int gsoType, int gsoSize) {
        VirtioNetHeader.put(header, 0, V1, flags, gsoType, 54, gsoSize, 34, 16, 1);
        metadata.hash(1, 99); // stale state from the previous frame must go
        return decoder.decode(header, 0, metadata);
    }

    @Test
    void gsoAndPartialChecksumFromTheKernel() {
        assertTrue(decode(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 1448));
        assertEquals(VnetHeaderEncoder.XEN_GSO_TCPV4, metadata.gsoType());
        assertEquals(1448, metadata.gsoSize());
        // rx.c: CHECKSUM_PARTIAL -> NETRXF_csum_blank | NETRXF_data_validated
        assertEquals(FrameMetadata.CSUM_BLANK | FrameMetadata.DATA_VALIDATED, metadata.checksum());
        assertEquals(FrameMetadata.NO_HASH, metadata.hashType());

        assertTrue(decode(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN, 1428));
        assertEquals(VnetHeaderEncoder.XEN_GSO_TCPV6, metadata.gsoType());
        assertEquals(1428, metadata.gsoSize());
        assertEquals(2, counters.gsoFrames);
    }

    @Test
    void dataValidAndNothing() {
        assertTrue(decode(VirtioNetHeader.F_DATA_VALID, 0, 0));
        assertEquals(FrameMetadata.DATA_VALIDATED, metadata.checksum());
        assertFalse(metadata.isGso());
        assertTrue(decode(0, 0, 0));
        assertEquals(0, metadata.checksum());
    }

    @Test
    void gsoTheNetifProtocolCannotCarryIsDropped() {
        assertFalse(decode(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP, 1400));
        assertFalse(decode(VirtioNetHeader.F_NEEDS_CSUM, 5, 1400));
        assertFalse(decode(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 0));
        assertEquals(3, counters.dropsUnsupportedGso);
    }

    @Test
    void roundTripKeepsTheMeaning() {
        // guest GSO TCPv4 frame -> vnet header -> back to metadata: the same GSO, and a partial checksum
        metadata.reset().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);
        assertTrue(encode(TestFrames.ipv4(TCP, 5, 5, 3000, false, 14)));
        FrameMetadata back = new FrameMetadata();
        assertTrue(decoder.decode(header, 0, back));
        assertEquals(VnetHeaderEncoder.XEN_GSO_TCPV4, back.gsoType());
        assertEquals(1448, back.gsoSize());
        assertTrue(back.csumBlank());
    }
}
