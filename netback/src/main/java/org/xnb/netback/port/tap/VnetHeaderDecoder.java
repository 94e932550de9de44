package org.xnb.netback.port.tap;

import org.agrona.DirectBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * TAP -> guest translation: a virtio-net header (what dom0's kernel hands us) to
 * {@link FrameMetadata} (what the Rx engine tells netfront), as Linux netback's Rx side describes
 * an skb to the guest ({@code rx.c}: {@code xenvif_rx_next_skb}, {@code xenvif_rx_data_slot}):
 *
 * <pre>
 *  virtio_net_hdr                      FrameMetadata
 *  gso_type TCPV4 / TCPV6 (+ECN)    -> gso(TCPV4 1 / TCPV6 2, gso_size)   (ECN is carried in the TCP header)
 *  gso_type UDP / unknown           -> dropped (the netif protocol has no UDP GSO)
 *  NEEDS_CSUM                       -> CSUM_BLANK | DATA_VALIDATED        (CHECKSUM_PARTIAL: NETRXF_csum_blank |
 *                                                                         NETRXF_data_validated; netfront completes it)
 *  DATA_VALID                       -> DATA_VALIDATED                     (CHECKSUM_UNNECESSARY)
 * </pre>
 *
 * csum_start/csum_offset are not passed on: netfront finds the checksum itself
 * ({@code skb_checksum_setup} in its receive path), and our Tx side recomputes them the same way.
 */
public final class VnetHeaderDecoder {
    private final TapPortCounters counters;

    public VnetHeaderDecoder(TapPortCounters counters) {
        this.counters = counters;
    }

    /**
     * Fills {@code metadata} from the header at {@code at}.
     *
     * @return false when the frame cannot go to a guest (counted)
     */
    public boolean decode(DirectBuffer header, int at, FrameMetadata metadata) {
        metadata.reset();
        int flags = VirtioNetHeader.flags(header, at);
        int gso = VirtioNetHeader.gsoProtocol(header, at);
        if (gso != VirtioNetHeader.GSO_NONE) {
            int size = VirtioNetHeader.gsoSize(header, at);
            if (gso == VirtioNetHeader.GSO_TCPV4 && size > 0) {
                metadata.gso(VnetHeaderEncoder.XEN_GSO_TCPV4, size);
            } else if (gso == VirtioNetHeader.GSO_TCPV6 && size > 0) {
                metadata.gso(VnetHeaderEncoder.XEN_GSO_TCPV6, size);
            } else {
                counters.dropsUnsupportedGso++;
                return false;
            }
            counters.gsoFrames++;
        }
        if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            metadata.checksum(FrameMetadata.CSUM_BLANK | FrameMetadata.DATA_VALIDATED);
            counters.partialChecksumFrames++;
        } else if ((flags & VirtioNetHeader.F_DATA_VALID) != 0) {
            metadata.checksum(FrameMetadata.DATA_VALIDATED);
        }
        return true;
    }
}
