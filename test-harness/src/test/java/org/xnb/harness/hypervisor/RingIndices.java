package org.xnb.harness.hypervisor;

import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.AtomicBuffer;

/** The four shared indices of a ring page: placing a fresh ring anywhere on the u32 circle, and printing them. */
final class RingIndices {

    private RingIndices() {
    }

    /**
     * Sets a freshly initialised ring's shared indices as if {@code index} entries had already
     * gone round: both producers at {@code index}, both event thresholds at {@code index + 1}
     * (what {@code SHARED_RING_INIT} does at 0). {@code FrontRing.initShared} always starts at 0
     * like {@code SHARED_RING_INIT}; placing the ring just below 2^32 makes a run cross the wrap.
     * Done by the frontend before it grants the page, so nobody else sees the old values.
     */
    static void placeAt(AtomicBuffer page, int base, int index) {
        page.putInt(base + REQ_PROD_OFFSET, index);
        page.putInt(base + RSP_PROD_OFFSET, index);
        page.putInt(base + REQ_EVENT_OFFSET, index + 1);
        page.putIntVolatile(base + RSP_EVENT_OFFSET, index + 1);
    }

    /** The shared indices as unsigned numbers, for failure messages. */
    static String describe(AtomicBuffer page, int base) {
        return "shared req_prod " + u(page.getIntVolatile(base + REQ_PROD_OFFSET))
                + ", req_event " + u(page.getIntVolatile(base + REQ_EVENT_OFFSET))
                + ", rsp_prod " + u(page.getIntVolatile(base + RSP_PROD_OFFSET))
                + ", rsp_event " + u(page.getIntVolatile(base + RSP_EVENT_OFFSET));
    }

    static String u(int index) {
        return Integer.toUnsignedString(index);
    }
}
