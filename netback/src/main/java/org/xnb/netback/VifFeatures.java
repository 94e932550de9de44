package org.xnb.netback;

/**
 * What the frontend and the backend agreed on in the xenbus handshake, as the data path needs it.
 * Immutable: the handshake builds one when the frontend connects and hands it to the engines of
 * every queue; a reconnect builds a new one.
 *
 * @param sg               {@code feature-sg}: the guest accepts an Rx packet over several slots
 *                         ({@code NETRXF_more_data}); without it Rx frames must fit one page
 * @param gsoTcpv4         {@code feature-gso-tcpv4}: Rx may carry TCPv4 GSO frames (with a GSO extra)
 * @param gsoTcpv6         {@code feature-gso-tcpv6}
 * @param csumOffloadV4    IPv4 checksum offload (absent {@code feature-no-csum-offload})
 * @param csumOffloadV6    {@code feature-ipv6-csum-offload}
 * @param rxNotify         {@code feature-rx-notify}: the guest kicks us when it posts Rx buffers
 * @param multicastControl {@code request-multicast-control}: Rx multicast frames are filtered by the
 *                         list the guest builds with MCAST_ADD/DEL extras
 */
public record VifFeatures(boolean sg, boolean gsoTcpv4, boolean gsoTcpv6, boolean csumOffloadV4,
        boolean csumOffloadV6, boolean rxNotify, boolean multicastControl) {

    /** A modern Linux netfront: SG, both GSO types, checksum offload, rx-notify, no multicast control. */
    public static final VifFeatures LINUX_DEFAULT = new VifFeatures(true, true, true, true, true, true, false);

    /** The least a frontend can ask for: single-slot Rx, no offloads. */
    public static final VifFeatures MINIMAL = new VifFeatures(false, false, false, false, false, true, false);

    /** Whether the guest announced GSO of type {@code gsoType} ({@code XEN_NETIF_GSO_TYPE_*}). */
    public boolean acceptsGso(int gsoType) {
        return switch (gsoType) {
            case 1 -> gsoTcpv4;
            case 2 -> gsoTcpv6;
            default -> false;
        };
    }

    public VifFeatures withSg(boolean value) {
        return new VifFeatures(value, gsoTcpv4, gsoTcpv6, csumOffloadV4, csumOffloadV6, rxNotify, multicastControl);
    }

    public VifFeatures withGso(boolean v4, boolean v6) {
        return new VifFeatures(sg, v4, v6, csumOffloadV4, csumOffloadV6, rxNotify, multicastControl);
    }

    public VifFeatures withMulticastControl(boolean value) {
        return new VifFeatures(sg, gsoTcpv4, gsoTcpv6, csumOffloadV4, csumOffloadV6, rxNotify, value);
    }
}
