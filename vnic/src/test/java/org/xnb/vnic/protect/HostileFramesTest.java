package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.flow.FlowClassifier;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.flow.FlowTable;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.frame.IpHeaders;

/**
 * Frames are hostile: truncated anywhere and with random bytes flipped, they must never make the
 * classifier or link protection read outside the frame (the buffers here end exactly where the
 * frame ends, and Agrona's bounds checks are on in tests) or throw.
 */
class HostileFramesTest extends ProtectionTestSupport {
    private static final String[] TABLES = {"local_ip=198.18.0.0/15", "remote_ip=2001:db8::/32", "transport=udp",
        "transport=tcp,local_port=80", "transport=udp,remote_port=67", "dsfield=0x20"};

    private static UnsafeBuffer[] seeds() {
        return new UnsafeBuffer[] {
            ProtectFrames.dhcpv4(0, 6, ProtectFrames.GUEST_MAC, 61, 7, 1, 0, 0x16, 0x3e, 0, 0, 0xa1, 53, 1, 3, 255),
            ProtectFrames.dhcpv6(1, ProtectFrames.clientIdV6(1, ProtectFrames.GUEST_MAC)),
            ProtectFrames.ndp(ProtectFrames.LL_HI, ProtectFrames.GUEST_LL_LO, 136, ProtectFrames.DOC_HI, 2,
                    ProtectFrames.lla(2, ProtectFrames.GUEST_MAC)),
            ProtectFrames.arp(ProtectFrames.GUEST_MAC, 1, ProtectFrames.GUEST_MAC, ProtectFrames.GUEST_V4, 1),
            new FrameWriter().ether(1, ProtectFrames.GUEST_MAC, 9, EtherHeader.ETHERTYPE_IPV6)
                    .ipv6(0, IpHeaders.PROTO_HOPOPTS, ProtectFrames.DOC_HI, 2, ProtectFrames.DOC_HI, 3, 40)
                    .u8(IpHeaders.PROTO_FRAGMENT).u8(1).zeros(14).u8(IpHeaders.PROTO_UDP).u8(0).u16(0).u32(1)
                    .u16(546).u16(547).u16(16).u16(0).u32(0x01000000).zeros(4).direct(),
        };
    }

    @Test
    void truncatedAndCorruptedFramesNeverThrow() {
        LinkProtection all = vnic("protection=mac-nospoof,restricted,ip-nospoof,dhcp-nospoof,allowed-ips=198.18.0.2");
        LinkProtection dhcp = vnic("protection=dhcp-nospoof");
        LinkProtection ip = vnic("protection=ip-nospoof");
        FlowClassifier[] classifiers = new FlowClassifier[TABLES.length];
        for (int i = 0; i < TABLES.length; i++) {
            FlowTable t = new FlowTable("vnic0");
            t.add("f", FlowSpec.parse(TABLES[i]), FlowProperties.DEFAULTS);
            classifiers[i] = t.classifier();
        }
        UnsafeBuffer[] seeds = seeds();
        qt().withExamples(3000).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            UnsafeBuffer source = seeds[r.nextInt(seeds.length)];
            int length = r.nextInt(source.capacity() + 1);
            byte[] bytes = new byte[length];
            source.getBytes(0, bytes);
            int flips = r.nextInt(4);
            for (int i = 0; i < flips && length > 0; i++) {
                bytes[r.nextInt(length)] = (byte) r.nextInt(256);
            }
            UnsafeBuffer frame = exact(bytes);
            for (LinkProtection p : new LinkProtection[] {all, dhcp, ip}) {
                ProtectionVerdict first = p.check(frame, 0, length, counters);
                assertNotNull(first);
                assertEquals(first, p.check(frame, 0, length, counters), "the same frame, the same verdict");
            }
            for (FlowClassifier c : classifiers) {
                int in = c.classifyInbound(frame, 0, length);
                int out = c.classifyOutbound(frame, 0, length);
                assertEquals(true, in >= -1 && in < 1 && out >= -1 && out < 1);
            }
        });
    }

    /** An off-heap buffer whose capacity is exactly the frame: any read past it throws. */
    private static UnsafeBuffer exact(byte[] bytes) {
        UnsafeBuffer big = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, (bytes.length + 63) & ~63), 64));
        big.putBytes(0, bytes);
        return new UnsafeBuffer(big, 0, bytes.length);
    }
}
