package org.xnb.netback;

/**
 * The rules a guest can break on its rings (REFERENCE.md section 6, Linux xen-netback's checks).
 * A fatal rule disables the queue's vif (Linux {@code xenvif_fatal_tx_err}); a non-fatal one
 * answers the packet's slots with {@code NETIF_RSP_ERROR} and drops it ({@code xenvif_tx_err}).
 * The names are what listeners, logs and counters show.
 */
public enum GuestRule {
    /** {@code req_prod - req_cons > ring size} (xenvif_tx_build_gops). */
    IMPOSSIBLE_REQUEST_COUNT(true, "impossible number of requests"),
    /** NETTXF_extra_info, or XEN_NETIF_EXTRA_FLAG_MORE, with no request left (xenvif_get_extras). */
    MISSING_EXTRA_INFO(true, "extra info past the available requests"),
    /** Extra type 0 or >= XEN_NETIF_EXTRA_TYPE_MAX (xenvif_get_extras). */
    INVALID_EXTRA_TYPE(true, "invalid extra info type"),
    /** NETTXF_more_data past the available requests (xenvif_count_requests, -ENODATA). */
    SLOTS_EXCEED_AVAILABLE(true, "packet needs more slots than available"),
    /** A packet of more than fatal_skb_slots (20) fragments (xenvif_count_requests, -E2BIG). */
    FATAL_SLOT_COUNT(true, "too many slots (malicious frontend)"),
    /** A slot with offset + size > 4096 (xenvif_count_requests; the first slot in build_gops). */
    SLOT_CROSSES_PAGE(true, "slot crosses a page boundary"),
    /** A GSO extra with size 0 (xenvif_set_skb_gso). */
    GSO_SIZE_ZERO(true, "GSO size must not be zero"),
    /** A GSO extra whose type is neither TCPV4 nor TCPV6 (xenvif_set_skb_gso). */
    GSO_TYPE_UNKNOWN(true, "bad GSO type"),

    /** More than XEN_NETBK_LEGACY_SLOTS_MAX (18) fragments but fewer than fatal (xenvif_count_requests). */
    TOO_MANY_SLOTS(false, "too many slots, packet dropped"),
    /** A fragment larger than what is left of the first slot's size (xenvif_count_requests, -EIO). */
    SLOT_LARGER_THAN_REMAINING(false, "slot size larger than the remaining packet size"),
    /** The first slot holds fewer than ETH_HLEN (14) bytes (xenvif_tx_build_gops). */
    PACKET_TOO_SHORT(false, "packet shorter than an Ethernet header"),
    /** A grant copy of the packet failed (xenvif_tx_check_gop). */
    GRANT_COPY_FAILED(false, "grant copy failed"),
    /** MCAST_ADD with XEN_NETBK_MCAST_MAX (64) addresses already listed (xenvif_mcast_add). */
    MULTICAST_LIST_FULL(false, "too many multicast addresses");

    private final boolean fatal;
    private final String description;

    GuestRule(boolean fatal, String description) {
        this.fatal = fatal;
        this.description = description;
    }

    /** Whether breaking the rule disables the vif. */
    public boolean fatal() {
        return fatal;
    }

    public String description() {
        return description;
    }
}
