package org.xnb.grant.xen;

import java.util.ArrayList;
import java.util.List;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;

/**
 * A libxengnttab handle. {@link #copy} hands the batch's native segment array to
 * {@code xengnttab_grant_copy} unchanged (its layout is libxengnttab's), so a copy costs one
 * JNA call and allocates nothing.
 *
 * <p>gntdev reports a failed map as an errno (the per-ref GNTST code stays in the kernel), so a
 * map failure here carries {@link GrantStatus#GENERAL_ERROR} and the errno in its message.
 */
final class XenGrantTable implements GrantTable {
    private final GnttabNative lib;
    private final long handle;
    private final List<XenGrantMapping> live = new ArrayList<>();
    private boolean closed;

    XenGrantTable(GnttabNative lib, long handle) {
        this.lib = lib;
        this.handle = handle;
    }

    @Override
    public GrantMapping map(int domid, int[] refs, int count, boolean writable) {
        checkOpen();
        if (count <= 0 || count > refs.length) {
            throw new IllegalArgumentException("count " + count + " with " + refs.length + " refs");
        }
        int prot = LibC.PROT_READ | (writable ? LibC.PROT_WRITE : 0);
        long address = lib.mapDomainGrantRefs(handle, count, domid, refs, prot);
        if (address == 0) {
            int errno = lib.errno();
            throw new GrantException(GrantStatus.GENERAL_ERROR, "xengnttab_map_domain_grant_refs(domain "
                    + domid + ", " + count + " refs, " + (writable ? "rw" : "ro") + "): " + Errno.describe(errno));
        }
        XenGrantMapping mapping = new XenGrantMapping(this, domid, count, writable, address);
        live.add(mapping);
        return mapping;
    }

    @Override
    public void unmap(GrantMapping mapping) {
        if (!(mapping instanceof XenGrantMapping m)) {
            throw new IllegalArgumentException("not a mapping of this grant table: " + mapping);
        }
        if (m.unmapped()) {
            return;
        }
        if (!live.remove(m)) {
            throw new IllegalArgumentException("not a mapping of this grant table: " + mapping);
        }
        unmapNative(m);
    }

    private void unmapNative(XenGrantMapping m) {
        m.markUnmapped();
        if (lib.unmap(handle, m.address(), m.pages()) != 0) {
            throw new GrantException(GrantStatus.GENERAL_ERROR, "xengnttab_unmap(0x" + Long.toHexString(m.address())
                    + ", " + m.pages() + " pages of domain " + m.domid() + "): " + Errno.describe(lib.errno()));
        }
    }

    @Override
    public int copy(GrantCopyBatch batch) {
        checkOpen();
        int count = batch.size();
        if (count == 0) {
            return 0;
        }
        // On -1 the kernel stopped part way: segments it did not reach keep the
        // GNTST_general_error the batch preset, so counting statuses is right in both cases.
        lib.grantCopy(handle, count, batch.address());
        int failed = 0;
        for (int i = 0; i < count; i++) {
            if (batch.status(i) != GrantStatus.OKAY) {
                failed++;
            }
        }
        return failed;
    }

    /** Unmaps every region still mapped (continuing past failures), then closes the handle. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        GrantException first = null;
        for (XenGrantMapping m : live) {
            try {
                unmapNative(m);
            } catch (GrantException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        live.clear();
        lib.close(handle);
        if (first != null) {
            throw first;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("grant table handle is closed");
        }
    }
}
