package org.xnb.grant.xen;

/**
 * The libxengnttab calls xnb makes, as an interface so that tests substitute them. Handles and
 * addresses are native pointers carried as {@code long}; failures return what the C function
 * returns (0/NULL or -1) and leave the reason in {@link #errno()}.
 */
interface GnttabNative {

    /** {@code xengnttab_open(NULL, 0)}: a handle, or 0. */
    long open();

    /** {@code xengnttab_close}. */
    int close(long handle);

    /** {@code xengnttab_map_domain_grant_refs}: the region's address, or 0. */
    long mapDomainGrantRefs(long handle, int count, int domid, int[] refs, int prot);

    /** {@code xengnttab_unmap}: 0, or -1. */
    int unmap(long handle, long address, int count);

    /** {@code xengnttab_grant_copy} over {@code count} segments at {@code segments}: 0, or -1. */
    int grantCopy(long handle, int count, long segments);

    /** errno of the last call on this thread. */
    int errno();
}
