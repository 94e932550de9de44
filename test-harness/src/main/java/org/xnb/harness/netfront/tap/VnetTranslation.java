package org.xnb.harness.netfront.tap;

import org.agrona.MutableDirectBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * What a netfront's kernel side translates between the virtio-net header on the TAP fd and netif's
 * flags and GSO extra, the way Linux's xen-netfront maps {@code skb->ip_summed} and
 * {@code skb_shinfo(skb)->gso_*}:
 *
 * <pre>
 *  Tx  NEEDS_CSUM (CHECKSUM_PARTIAL)   -> NETTXF_csum_blank | NETTXF_data_validated
 *      DATA_VALID (CHECKSUM_UNNECESSARY) -> NETTXF_data_validated
 *      GSO TCPV4 / TCPV6               -> XEN_NETIF_GSO_TYPE_TCPV4 / TCPV6 (gso_size = MSS)
 *  Rx  NETRXF_csum_blank               -> NEEDS_CSUM, csum_start/csum_offset from the headers
 *      NETRXF_data_validated           -> DATA_VALID
 *      GSO extra TCPV4 / TCPV6         -> gso_type, gso_size, hdr_len (with NEEDS_CSUM only)
 * </pre>
 *
 * Static and allocation-free, except the {@link TransportOffsets} the caller owns.
 */
public final class VnetTranslation {
    /** A GSO type netif cannot carry (UDP, or unknown): the frame must be dropped. */
    public static final int UNSUPPORTED = -1;

    private VnetTranslation() {
    }

    /** NETTXF_* for a frame the kernel handed us with virtio-net {@code flags}. */
    public static int txFlags(int vnetFlags) {
        if ((vnetFlags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            return NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED;
        }
        return (vnetFlags & VirtioNetHeader.F_DATA_VALID) != 0 ? NetTxFlags.DATA_VALIDATED : 0;
    }

    /** XEN_NETIF_GSO_TYPE_* for a virtio-net gso_type (ECN bit ignored), or {@link #UNSUPPORTED}. */
    public static int xenGsoType(int vnetGsoType) {
        switch (vnetGsoType & ~VirtioNetHeader.GSO_ECN) {
            case VirtioNetHeader.GSO_NONE:
                return ExtraInfo.GSO_TYPE_NONE;
            case VirtioNetHeader.GSO_TCPV4:
                return ExtraInfo.GSO_TYPE_TCPV4;
            case VirtioNetHeader.GSO_TCPV6:
                return ExtraInfo.GSO_TYPE_TCPV6;
            default:
                return UNSUPPORTED;
        }
    }

    /**
     * Writes the virtio-net header ({@code headerSize} bytes at {@code at}) for a received frame
     * of {@code length} bytes that follows it, from its NETRXF flags and GSO extra.
     */
    public static void writeRxHeader(MutableDirectBuffer b, int at, int headerSize, int length, int rxFlags,
            int xenGsoType, int gsoSize, TransportOffsets offsets) {
        int frame = at + headerSize;
        boolean parsed = offsets.parse(b, frame, length);
        int vflags = 0;
        int csumStart = 0;
        int csumOffset = 0;
        if ((rxFlags & NetRxFlags.CSUM_BLANK) != 0 && parsed) {
            vflags = VirtioNetHeader.F_NEEDS_CSUM;
            csumStart = offsets.transportStart;
            csumOffset = offsets.checksumOffset;
        } else if ((rxFlags & NetRxFlags.DATA_VALIDATED) != 0) {
            vflags = VirtioNetHeader.F_DATA_VALID;
        }
        int gso = VirtioNetHeader.GSO_NONE;
        if (vflags == VirtioNetHeader.F_NEEDS_CSUM && offsets.protocol == TransportOffsets.PROTO_TCP) {
            if (xenGsoType == ExtraInfo.GSO_TYPE_TCPV4 && !offsets.ipv6) {
                gso = VirtioNetHeader.GSO_TCPV4;
            } else if (xenGsoType == ExtraInfo.GSO_TYPE_TCPV6 && offsets.ipv6) {
                gso = VirtioNetHeader.GSO_TCPV6;
            }
        }
        boolean isGso = gso != VirtioNetHeader.GSO_NONE;
        VirtioNetHeader.put(b, at, headerSize, vflags, gso, isGso ? offsets.headerLength : 0, isGso ? gsoSize : 0,
                csumStart, csumOffset, 0);
    }
}
