package org.xnb.grant.netif;

import org.xnb.grant.ring.SharedRingDescriptor;

/**
 * Sizes and status codes of the netif protocol ({@code xen/io/netif.h}). The ring sizes are those
 * of one 4 KiB ring page, {@code __CONST_RING_SIZE(netif_tx, 4096)} etc.
 */
public final class Netif {
    /** {@code XEN_NETIF_NR_SLOTS_MIN}: slots per packet every backend must accept. */
    public static final int NR_SLOTS_MIN = 18;
    /** {@code XEN_NETIF_MAX_TX_SIZE}: largest packet a TX request can describe. */
    public static final int MAX_TX_SIZE = 0xFFFF;

    /** {@code sizeof(union netif_tx_sring_entry)}: a TX slot (request 12 bytes, response 4). */
    public static final int TX_SLOT_BYTES = 12;
    /** {@code sizeof(union netif_rx_sring_entry)}. */
    public static final int RX_SLOT_BYTES = 8;
    /** {@code sizeof(union xen_netif_ctrl_sring_entry)} (request 16, response 12). */
    public static final int CTRL_SLOT_BYTES = 16;

    /** {@code __CONST_RING_SIZE(netif_tx, XEN_PAGE_SIZE)}. */
    public static final int TX_RING_SIZE = SharedRingDescriptor.ringSize(SharedRingDescriptor.PAGE_BYTES, TX_SLOT_BYTES);
    /** {@code __CONST_RING_SIZE(netif_rx, XEN_PAGE_SIZE)}. */
    public static final int RX_RING_SIZE = SharedRingDescriptor.ringSize(SharedRingDescriptor.PAGE_BYTES, RX_SLOT_BYTES);
    /** {@code __CONST_RING_SIZE(xen_netif_ctrl, XEN_PAGE_SIZE)}. */
    public static final int CTRL_RING_SIZE =
            SharedRingDescriptor.ringSize(SharedRingDescriptor.PAGE_BYTES, CTRL_SLOT_BYTES);

    /** {@code NETIF_RSP_DROPPED} (Linux: {@code XEN_NETIF_RSP_DROPPED}). */
    public static final int RSP_DROPPED = -2;
    /** {@code NETIF_RSP_ERROR}. */
    public static final int RSP_ERROR = -1;
    /** {@code NETIF_RSP_OKAY}. */
    public static final int RSP_OKAY = 0;
    /** {@code NETIF_RSP_NULL}: the answer in a TX slot that carried an extra-info request. */
    public static final int RSP_NULL = 1;

    private Netif() {
    }
}
