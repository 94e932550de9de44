package org.xnb.netback.rx;

/**
 * Counters of one Rx engine. The enqueue side ({@code drop*}, {@code enqueued}) is written by the
 * thread that offers frames, the rest by the engine's thread; each field has one writer. Read by
 * tests and the vif; a later issue moves them to a mapped counters file.
 */
public final class RxCounters {
    /** Frames accepted into the queue. */
    public long enqueued;
    /** Frames dropped because the queue held rx_queue_max bytes (XSA-392) or had no free slot. */
    public long droppedQueueFull;
    /** Frames dropped while the carrier was off (the guest stalled, or the queue was stopped). */
    public long droppedCarrierOff;
    /** Frames larger than one page for a guest without feature-sg, or larger than 64 KiB. */
    public long droppedOversize;
    /** GSO frames of a type the guest did not announce. */
    public long droppedGsoUnsupported;
    /** Multicast frames for an address the guest did not subscribe to (multicast control). */
    public long droppedMulticastFilter;
    /** Frames of an impossible length (0). */
    public long droppedInvalid;
    /** Frames that waited longer than rx_drain_timeout (10 s) for guest buffers. */
    public long droppedExpired;
    /** Frames purged when the engine stopped. */
    public long droppedPurged;
    /** Frames the admission refused on delivery (a flow over its maxbw); the engine's thread. */
    public long droppedAdmission;

    /** Frames delivered into guest buffers. */
    public long packets;
    /** Bytes of those frames. */
    public long bytes;
    /** Rx slots used (data and extra). */
    public long slots;
    /** Frames whose grant copy failed (answered NETIF_RSP_ERROR). */
    public long copyErrors;
    /** Times the guest was notified. */
    public long notifications;
    /** Times responses were pushed without a notification (suppressed by the guest). */
    public long notificationsSuppressed;
    /** Stalled transitions ("Guest Rx stalled"). */
    public long stalls;
}
