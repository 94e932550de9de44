package org.xnb.grant;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A region of pages mapped from another domain's grants. The memory is shared with a domain that
 * may be hostile: read each field once into private memory, then check the copy.
 */
public interface GrantMapping extends AutoCloseable {

    /** The domain that granted the pages. */
    int domid();

    /** Number of 4 KiB pages in the region. */
    int pages();

    /** Whether the region was mapped writable. */
    boolean writable();

    /** Native address of the first byte (valid until unmapped). */
    long address();

    /** A view of the whole region (valid until unmapped). */
    AtomicBuffer buffer();

    /** Unmaps the region through the handle that mapped it. */
    @Override
    void close();
}
