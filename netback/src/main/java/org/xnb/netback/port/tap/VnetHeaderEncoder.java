package org.xnb.netback.port.tap;

import org.agrona.MutableDirectBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * Guest -> TAP translation: {@link FrameMetadata} (the netif view) to a virtio-net header (the
 * kernel's view), with csum_start/csum_offset found in the frame's own headers
 * ({@link ChecksumSetup}), as Linux netback turns a guest packet into an skb:
 *
 * <pre>
 *  FrameMetadata                       virtio_net_hdr
 *  gso TCPV4 (1) / TCPV6 (2), size  -> gso_type TCPV4 (1) / TCPV6 (4), gso_size, hdr_len = end of TCP header,
 *                                      NEEDS_CSUM + csum_start/offset (pseudo-header rewritten unless CSUM_BLANK,
 *                                      Linux checksum_setup's recalculate_partial_csum)
 *  CSUM_BLANK                       -> NEEDS_CSUM, csum_start = L4 header, csum_offset = 16 (TCP) / 6 (UDP),
 *                                      hdr_len = csum_start + csum_offset + 2
 *  DATA_VALIDATED (not CSUM_BLANK)  -> DATA_VALID
 *  nothing                          -> all zero
 * </pre>
 *
 * A frame whose headers do not support its metadata is not encoded ({@link #encode} returns
 * false and counts the reason): Linux drops it too ({@code xenvif_tx_submit} after a failed
 * {@code checksum_setup}).
 */
public final class VnetHeaderEncoder {
    /** {@code XEN_NETIF_GSO_TYPE_TCPV4}, {@code XEN_NETIF_GSO_TYPE_TCPV6}. */
    public static final int XEN_GSO_TCPV4 = 1;
    public static final int XEN_GSO_TCPV6 = 2;

    private final ChecksumSetup setup = new ChecksumSetup();
    private final TapPortCounters counters;

    public VnetHeaderEncoder(TapPortCounters counters) {
        this.counters = counters;
    }

    /**
     * Writes a {@code headerSize}-byte header at {@code at} in {@code header} for the frame.
     * May rewrite the frame's checksum field (pseudo-header of a GSO frame without CSUM_BLANK).
     *
     * @return false when the frame must be dropped (counted)
     */
    public boolean encode(MutableDirectBuffer header, int at, int headerSize, long frame, int length,
            FrameMetadata metadata) {
        if (length < ChecksumSetup.ETH_HLEN) {
            counters.dropsRunt++;
            return false;
        }
        VirtioNetHeader.clear(header, at, headerSize);
        boolean gso = metadata.isGso();
        if (gso || metadata.csumBlank()) {
            ChecksumSetup.Failure failure = setup.setup(frame, length);
            if (failure != null) {
                counters.dropsChecksumSetup++;
                return false;
            }
            int hdrLen = setup.csumStart() + setup.csumOffset() + 2;
            if (gso) {
                int vnetType = gsoType(metadata.gsoType());
                if (vnetType < 0 || metadata.gsoSize() == 0 || setup.l4Protocol() != ChecksumSetup.IPPROTO_TCP) {
                    counters.dropsBadGso++;
                    return false;
                }
                if (!metadata.csumBlank()) {
                    setup.recalculatePseudoHeader();
                }
                hdrLen = setup.l4HeaderEnd();
                VirtioNetHeader.gsoType(header, at, vnetType);
                VirtioNetHeader.gsoSize(header, at, metadata.gsoSize());
                counters.gsoFrames++;
            }
            VirtioNetHeader.flags(header, at, VirtioNetHeader.F_NEEDS_CSUM);
            VirtioNetHeader.hdrLen(header, at, Math.min(hdrLen, length));
            VirtioNetHeader.csumStart(header, at, setup.csumStart());
            VirtioNetHeader.csumOffset(header, at, setup.csumOffset());
            counters.partialChecksumFrames++;
        } else if (metadata.dataValidated()) {
            VirtioNetHeader.flags(header, at, VirtioNetHeader.F_DATA_VALID);
        }
        return true;
    }

    /** The virtio gso_type for a netif one whose IP version matches the frame, or -1. */
    private int gsoType(int xenType) {
        if (xenType == XEN_GSO_TCPV4 && setup.ipVersion() == 4) {
            return VirtioNetHeader.GSO_TCPV4;
        }
        if (xenType == XEN_GSO_TCPV6 && setup.ipVersion() == 6) {
            return VirtioNetHeader.GSO_TCPV6;
        }
        return -1;
    }

    /** The parser, for its last result (tests). */
    ChecksumSetup checksumSetup() {
        return setup;
    }
}
