package org.xnb.harness.hypervisor;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.XenPage;

/** Guest pages mapped contiguously by {@link HarnessGrantTable}, with the refs that stay pinned. */
final class HarnessGrantMapping implements GrantMapping {
    private final HarnessGrantTable table;
    private final HarnessDomain granter;
    private final int[] refs;
    private final boolean writable;
    private final long address;
    private final UnsafeBuffer buffer;
    private boolean unmapped;

    HarnessGrantMapping(HarnessGrantTable table, HarnessDomain granter, int[] refs, boolean writable, long address) {
        this.table = table;
        this.granter = granter;
        this.refs = refs;
        this.writable = writable;
        this.address = address;
        this.buffer = new UnsafeBuffer(address, refs.length * XenPage.SIZE);
    }

    @Override
    public int domid() {
        return granter.domid();
    }

    @Override
    public int pages() {
        return refs.length;
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

    HarnessDomain granter() {
        return granter;
    }

    int[] refs() {
        return refs;
    }

    HarnessGrantTable table() {
        return table;
    }

    boolean unmapped() {
        return unmapped;
    }

    /** Shrinks the view to nothing so that a stale access fails its bounds check instead of faulting. */
    void markUnmapped() {
        unmapped = true;
        buffer.wrap(new byte[0]);
    }

    @Override
    public void close() {
        table.unmap(this);
    }
}
