package org.xnb.grant;

/**
 * A grant-table handle: maps pages another domain granted to us, and copies between granted
 * pages and local memory. Failures the guest caused (bad ref, wrong domain, read-only grant) are
 * reported with Xen's own {@link GrantStatus} codes: a {@link GrantException} for a map, a
 * per-segment status for a copy.
 *
 * <p>Not thread-safe: one handle per lane.
 */
public interface GrantTable extends AutoCloseable {

    /**
     * Maps {@code count} grant refs of domain {@code domid} as one contiguous region of
     * {@code count} pages (xengnttab_map_domain_grant_refs).
     *
     * @param refs     the grant refs; the first {@code count} entries are used
     * @param writable map for writing; a ref granted read-only then fails with
     *                 {@link GrantStatus#GENERAL_ERROR}, the code Xen's map_grant_ref uses for it
     * @throws GrantException with the GNTST code of the first ref that failed (on real Xen gntdev
     *                        only reports an errno, so the code is GENERAL_ERROR); nothing stays mapped
     */
    GrantMapping map(int domid, int[] refs, int count, boolean writable);

    /** Unmaps a region returned by {@link #map}; idempotent per mapping. */
    void unmap(GrantMapping mapping);

    /**
     * Performs every segment of {@code batch} (xengnttab_grant_copy). Each segment gets its own
     * status ({@link GrantCopyBatch#status(int)}); a failed segment does not stop the others.
     *
     * @return the number of segments whose status is not {@link GrantStatus#OKAY}
     */
    int copy(GrantCopyBatch batch);

    @Override
    void close();
}
