package org.xnb.grant.ring;

import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Test pages: direct, page-aligned memory standing in for a granted ring page. */
final class RingPages {
    static final int PAGE = SharedRingDescriptor.PAGE_BYTES;

    private RingPages() {
    }

    static UnsafeBuffer page() {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAGE, PAGE));
    }

    /** A page whose four indices are set as a live ring at {@code index} would have them. */
    static UnsafeBuffer pageAt(int index) {
        UnsafeBuffer page = page();
        page.putInt(REQ_PROD_OFFSET, index);
        page.putInt(RSP_PROD_OFFSET, index);
        page.putInt(REQ_EVENT_OFFSET, index + 1);
        page.putInt(RSP_EVENT_OFFSET, index + 1);
        return page;
    }
}
