package org.xnb.grant.xen;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.XenPage;

/** A region mapped by gntdev through {@link XenGrantTable}. */
final class XenGrantMapping implements GrantMapping {
    private final XenGrantTable table;
    private final int domid;
    private final int pages;
    private final boolean writable;
    private final long address;
    private final UnsafeBuffer buffer;
    private boolean unmapped;

    XenGrantMapping(XenGrantTable table, int domid, int pages, boolean writable, long address) {
        this.table = table;
        this.domid = domid;
        this.pages = pages;
        this.writable = writable;
        this.address = address;
        this.buffer = new UnsafeBuffer(address, pages * XenPage.SIZE);
    }

    @Override
    public int domid() {
        return domid;
    }

    @Override
    public int pages() {
        return pages;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public AtomicBuffer buffer() {
        return buffer;
    }

    boolean unmapped() {
        return unmapped;
    }

    /** Marks the region gone and shrinks the view to nothing, so a stale access fails its bounds check. */
    void markUnmapped() {
        unmapped = true;
        buffer.wrap(new byte[0]);
    }

    @Override
    public void close() {
        table.unmap(this);
    }
}
