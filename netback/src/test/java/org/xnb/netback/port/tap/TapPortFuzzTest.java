package org.xnb.netback.port.tap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * Guest-controlled frames (random, and well-formed ones with mutated header bytes) through the
 * encoder never throw and never read outside the frame (the parser's view is exactly the frame's
 * length and the build runs with Agrona's bounds checks on, so a read past it would throw), a
 * refused frame is counted once, and an accepted frame's header always points inside it.
 */
class TapPortFuzzTest {
    private static final int AREA = 512;
    private final UnsafeBuffer area = new UnsafeBuffer(BufferUtil.allocateDirectAligned(AREA, 64));
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[16]);
    private final TapPortCounters counters = new TapPortCounters();
    private final VnetHeaderEncoder encoder = new VnetHeaderEncoder(counters);
    private final VnetHeaderDecoder decoder = new VnetHeaderDecoder(counters);
    private final FrameMetadata metadata = new FrameMetadata();

    private void check(byte[] frame, int metaChoice) {
        // placed at the end of the area; the parser's frame-sized view throws on any read past it
        int at = AREA - frame.length;
        area.setMemory(0, AREA, (byte) 0xff);
        area.putBytes(at, frame);
        metadata.reset();
        switch (metaChoice % 5) {
            case 0 -> metadata.checksum(FrameMetadata.CSUM_BLANK);
            case 1 -> metadata.gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1 + metaChoice % 9000).checksum(FrameMetadata.CSUM_BLANK);
            case 2 -> metadata.gso(VnetHeaderEncoder.XEN_GSO_TCPV6, 1 + metaChoice % 9000);
            case 3 -> metadata.gso(metaChoice & 0xff, metaChoice & 0xffff);
            default -> metadata.checksum(FrameMetadata.DATA_VALIDATED);
        }
        long dropsBefore = counters.drops();
        boolean ok = encoder.encode(header, 0, VirtioNetHeader.SIZE_V1, area.addressOffset() + at, frame.length, metadata);
        if (!ok) {
            assertTrue(counters.drops() == dropsBefore + 1, "a refused frame is counted once");
            return;
        }
        if ((VirtioNetHeader.flags(header, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            int start = VirtioNetHeader.csumStart(header, 0);
            int off = VirtioNetHeader.csumOffset(header, 0);
            assertTrue(start + off + 2 <= frame.length, "checksum field outside the frame");
            assertTrue(VirtioNetHeader.hdrLen(header, 0) <= frame.length, "hdr_len beyond the frame");
            assertTrue(start >= 14 + 20, "csum_start before any L4 header");
        }
    }

    @Test
    void randomFramesNeverThrow() {
        qt().withExamples(3000).forAll(longs().all(), integers().between(0, 200), integers().all())
                .checkAssert((seed, length, meta) -> {
                    byte[] f = new byte[length];
                    new Random(seed).nextBytes(f);
                    if (length > 14 && (seed & 1) == 0) { // steer toward IP so the parsers run
                        f[12] = (seed & 2) == 0 ? (byte) 0x08 : (byte) 0x86;
                        f[13] = (seed & 2) == 0 ? 0 : (byte) 0xdd;
                    }
                    check(f, meta & 0x7fffffff);
                });
    }

    @Test
    void mutatedWellFormedFramesNeverThrow() {
        byte[][] seeds = {
            TestFrames.ipv4(TestFrames.TCP, 6, 8, 40, false, 1),
            TestFrames.ipv4(TestFrames.UDP, 5, 0, 40, true, 2),
            TestFrames.ipv6(TestFrames.TCP, 40, new int[][] {{ChecksumSetup.NEXTHDR_HOP, 8},
                {ChecksumSetup.NEXTHDR_FRAGMENT, 8}, {ChecksumSetup.NEXTHDR_AUTH, 16}}, 3),
        };
        qt().withExamples(5000).forAll(longs().all(), integers().between(1, 8), integers().all())
                .checkAssert((seed, mutations, meta) -> {
                    Random r = new Random(seed);
                    byte[] base = seeds[r.nextInt(seeds.length)];
                    byte[] f = java.util.Arrays.copyOf(base, r.nextInt(4) == 0 ? r.nextInt(base.length + 1) : base.length);
                    for (int i = 0; i < mutations && f.length > 0; i++) {
                        int pos = r.nextInt(Math.min(f.length, 140)); // the header region
                        f[pos] = (byte) r.nextInt();
                    }
                    check(f, meta & 0x7fffffff);
                });
    }

    @Test
    void randomKernelHeadersNeverThrow() {
        qt().withExamples(3000).forAll(longs().all()).checkAssert(seed -> {
            new Random(seed).nextBytes(header.byteArray());
            long drops = counters.drops();
            boolean ok = decoder.decode(header, 0, metadata);
            assertTrue(ok ? counters.drops() == drops : counters.drops() == drops + 1);
            if (ok && metadata.isGso()) {
                assertTrue(metadata.gsoSize() > 0);
                assertTrue(metadata.gsoType() == 1 || metadata.gsoType() == 2);
            }
        });
    }
}
