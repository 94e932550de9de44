package org.xnb.harness.hypervisor;

/**
 * Xen's {@code grant_entry_v1} (xen/grant_table.h), the guest-writable table a simulated guest
 * shares with the harness hypervisor. The guest fills frame and domid, then publishes flags; the
 * hypervisor sets and clears {@code GTF_reading}/{@code GTF_writing} with a compare-and-swap
 * on the first 32-bit word (flags and domid together), the way Xen's {@code _set_status_v1} does.
 *
 * <pre>
 *  0          2          4                      8
 *  +----------+----------+----------------------+
 *  | flags u16| domid u16| frame u32 (guest page)|
 *  +----------+----------+----------------------+
 *  word0 (little-endian u32) = flags | domid &lt;&lt; 16
 * </pre>
 */
public final class GrantEntryV1 {
    public static final int SIZE = 8;
    public static final int FLAGS_OFFSET = 0;
    public static final int DOMID_OFFSET = 2;
    public static final int FRAME_OFFSET = 4;

    public static final int GTF_INVALID = 0;
    public static final int GTF_PERMIT_ACCESS = 1;
    public static final int GTF_ACCEPT_TRANSFER = 2;
    public static final int GTF_TRANSITIVE = 3;
    public static final int GTF_TYPE_MASK = 3;
    public static final int GTF_READONLY = 1 << 2;
    public static final int GTF_READING = 1 << 3;
    public static final int GTF_WRITING = 1 << 4;

    /** Linux keeps refs 0..7 for the console and xenstore rings (GNTTAB_NR_RESERVED_ENTRIES). */
    public static final int RESERVED_ENTRIES = 8;

    private GrantEntryV1() {
    }

    static int word(int flags, int domid) {
        return (flags & 0xffff) | (domid << 16);
    }

    static int flags(int word) {
        return word & 0xffff;
    }

    static int domid(int word) {
        return word >>> 16;
    }
}
