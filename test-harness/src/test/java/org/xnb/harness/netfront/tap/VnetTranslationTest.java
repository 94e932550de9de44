package org.xnb.harness.netfront.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.vnic.tap.VirtioNetHeader;

/** Virtio-net header <-> netif flags and GSO extra, each direction and each case of the table. */
class VnetTranslationTest {
    private static final int HDR = VirtioNetHeader.SIZE_V1;
    private final TransportOffsets offsets = new TransportOffsets();

    @Test
    void txFlagsFollowNetfrontsIpSummedMapping() {
        assertEquals(NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED, VnetTranslation.txFlags(VirtioNetHeader.F_NEEDS_CSUM));
        assertEquals(NetTxFlags.DATA_VALIDATED, VnetTranslation.txFlags(VirtioNetHeader.F_DATA_VALID));
        assertEquals(0, VnetTranslation.txFlags(0));
    }

    @Test
    void txGsoTypes() {
        assertEquals(ExtraInfo.GSO_TYPE_NONE, VnetTranslation.xenGsoType(VirtioNetHeader.GSO_NONE));
        assertEquals(ExtraInfo.GSO_TYPE_TCPV4, VnetTranslation.xenGsoType(VirtioNetHeader.GSO_TCPV4));
        assertEquals(ExtraInfo.GSO_TYPE_TCPV6, VnetTranslation.xenGsoType(VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN));
        assertEquals(VnetTranslation.UNSUPPORTED, VnetTranslation.xenGsoType(VirtioNetHeader.GSO_UDP));
    }

    @Test
    void rxCsumBlankGsoTcpv4BecomesNeedsCsumWithOffsetsAndGso() {
        UnsafeBuffer b = tcp(false, 9000);
        VnetTranslation.writeRxHeader(b, 0, HDR, 9000, NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED
                | NetRxFlags.EXTRA_INFO, ExtraInfo.GSO_TYPE_TCPV4, 1448, offsets);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(b, 0));
        assertEquals(34, VirtioNetHeader.csumStart(b, 0));
        assertEquals(16, VirtioNetHeader.csumOffset(b, 0));
        assertEquals(VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.gsoType(b, 0));
        assertEquals(1448, VirtioNetHeader.gsoSize(b, 0));
        assertEquals(54, VirtioNetHeader.hdrLen(b, 0));
    }

    @Test
    void rxGsoTcpv6() {
        UnsafeBuffer b = tcp(true, 9000);
        VnetTranslation.writeRxHeader(b, 0, HDR, 9000, NetRxFlags.CSUM_BLANK, ExtraInfo.GSO_TYPE_TCPV6, 1428, offsets);
        assertEquals(VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoType(b, 0));
        assertEquals(54, VirtioNetHeader.csumStart(b, 0));
        assertEquals(74, VirtioNetHeader.hdrLen(b, 0));
        assertEquals(1428, VirtioNetHeader.gsoSize(b, 0));
    }

    @Test
    void rxDataValidatedOnlyAndPlainFrames() {
        UnsafeBuffer b = tcp(false, 200);
        VnetTranslation.writeRxHeader(b, 0, HDR, 200, NetRxFlags.DATA_VALIDATED, ExtraInfo.GSO_TYPE_NONE, 0, offsets);
        assertEquals(VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.flags(b, 0));
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.gsoType(b, 0));
        assertEquals(0, VirtioNetHeader.csumStart(b, 0));
        VnetTranslation.writeRxHeader(b, 0, HDR, 200, 0, ExtraInfo.GSO_TYPE_NONE, 0, offsets);
        assertEquals(0, VirtioNetHeader.flags(b, 0));
    }

    @Test
    void rxGsoWithoutCsumBlankOrOfTheWrongFamilyIsNotPassedOn() {
        UnsafeBuffer b = tcp(false, 9000);
        VnetTranslation.writeRxHeader(b, 0, HDR, 9000, NetRxFlags.DATA_VALIDATED, ExtraInfo.GSO_TYPE_TCPV4, 1448, offsets);
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.gsoType(b, 0), "tun needs NEEDS_CSUM with GSO");
        VnetTranslation.writeRxHeader(b, 0, HDR, 9000, NetRxFlags.CSUM_BLANK, ExtraInfo.GSO_TYPE_TCPV6, 1448, offsets);
        assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.gsoType(b, 0), "a TCPv6 extra on an IPv4 frame");
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(b, 0));
    }

    /** A virtio-net header's room, then Ethernet + IPv4 (or IPv6) + a 20-byte TCP header, {@code length} bytes in all. */
    private static UnsafeBuffer tcp(boolean v6, int length) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[HDR + length]);
        int eth = HDR;
        b.putByte(eth + 12, (byte) (v6 ? 0x86 : 0x08));
        b.putByte(eth + 13, (byte) (v6 ? 0xdd : 0x00));
        int ip = eth + 14;
        int l4;
        if (v6) {
            b.putByte(ip, (byte) 0x60);
            b.putByte(ip + 6, (byte) 6);
            l4 = ip + 40;
        } else {
            b.putByte(ip, (byte) 0x45);
            b.putByte(ip + 9, (byte) 6);
            l4 = ip + 20;
        }
        b.putByte(l4 + 12, (byte) 0x50);
        return b;
    }
}
