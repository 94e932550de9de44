package org.xnb.harness.hypervisor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.UnsafeAccess;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;
import org.xnb.grant.xen.Errno;
import org.xnb.grant.xen.LibC;

/**
 * The harness's gntdev: maps guest pages into this process and copies between guest pages and
 * local memory, enforcing the guest's grant table like Xen does (see {@link GrantPins}).
 *
 * <p>A map of n refs is contiguous like gntdev's: n pages of address space are reserved
 * {@code PROT_NONE}, then each guest frame is mapped over its slot {@code MAP_SHARED|MAP_FIXED}
 * from the guest's memory file ({@code PROT_READ} only for a read-only map, so a write faults
 * as it would on Xen). A copy pins each grant for the duration of the segment, like Xen's
 * {@code acquire_grant_for_copy}, and copies with {@code Unsafe.copyMemory}; it allocates nothing.
 *
 * <p>Not thread-safe: one handle per lane.
 */
final class HarnessGrantTable implements GrantTable {
    private final HarnessDirectory harness;
    private final int self;
    private final HarnessDomain selfDomain;
    private final List<HarnessGrantMapping> live = new ArrayList<>();
    private boolean closed;

    HarnessGrantTable(HarnessDirectory harness, int self) {
        this.harness = harness;
        this.self = self;
        this.selfDomain = harness.requireDomain(self);
    }

    @Override
    public GrantMapping map(int domid, int[] refs, int count, boolean writable) {
        checkOpen();
        if (count <= 0 || count > refs.length) {
            throw new IllegalArgumentException("count " + count + " with " + refs.length + " refs");
        }
        HarnessDomain granter = harness.domain(domid);
        if (granter == null) {
            throw new GrantException(GrantStatus.BAD_DOMAIN, "map from domain " + domid + ": no such domain");
        }
        int[] frames = new int[count];
        for (int i = 0; i < count; i++) {
            int frame = GrantPins.pin(granter, self, refs[i], writable);
            if (frame < 0) {
                unpin(granter, refs, i, writable);
                throw new GrantException(frame, "map grant ref " + (refs[i] & 0xffffffffL) + " of domain " + domid
                        + " (" + (i + 1) + " of " + count + ", " + (writable ? "rw" : "ro") + ") by domain " + self);
            }
            frames[i] = frame;
        }
        long length = (long) count * XenPage.SIZE;
        long base = LibC.mmap(0, length, LibC.PROT_NONE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        if (base == LibC.MAP_FAILED) {
            unpin(granter, refs, count, writable);
            throw new GrantException(GrantStatus.GENERAL_ERROR, "reserve " + count + " pages: " + Errno.describe(LibC.errno()));
        }
        int prot = LibC.PROT_READ | (writable ? LibC.PROT_WRITE : 0);
        for (int i = 0; i < count; i++) {
            long slot = base + (long) i * XenPage.SIZE;
            long got = LibC.mmap(slot, XenPage.SIZE, prot, LibC.MAP_SHARED | LibC.MAP_FIXED,
                    granter.memoryFd(), (long) frames[i] * XenPage.SIZE);
            if (got != slot) {
                int errno = LibC.errno();
                LibC.munmap(base, length);
                unpin(granter, refs, count, writable);
                throw new GrantException(GrantStatus.GENERAL_ERROR, "mmap frame " + frames[i] + " of domain " + domid
                        + ": " + Errno.describe(errno));
            }
        }
        selfDomain.state().getAndAddLong(DomainLayout.MAPPED_PAGES_OFFSET, count);
        HarnessGrantMapping mapping = new HarnessGrantMapping(this, granter, Arrays.copyOf(refs, count), writable, base);
        live.add(mapping);
        return mapping;
    }

    private static void unpin(HarnessDomain granter, int[] refs, int count, boolean writable) {
        for (int i = 0; i < count; i++) {
            GrantPins.unpin(granter, refs[i], writable);
        }
    }

    @Override
    public void unmap(GrantMapping mapping) {
        if (!(mapping instanceof HarnessGrantMapping m) || m.table() != this) {
            throw new IllegalArgumentException("not a mapping of this grant table: " + mapping);
        }
        if (m.unmapped()) {
            return;
        }
        live.remove(m);
        release(m);
    }

    private void release(HarnessGrantMapping m) {
        m.markUnmapped();
        LibC.munmap(m.address(), (long) m.pages() * XenPage.SIZE);
        unpin(m.granter(), m.refs(), m.pages(), m.writable());
        selfDomain.state().getAndAddLong(DomainLayout.MAPPED_PAGES_OFFSET, -m.pages());
    }

    @Override
    public int copy(GrantCopyBatch batch) {
        checkOpen();
        int failed = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            int status = copySegment(batch, i);
            batch.setStatus(i, status);
            if (status != GrantStatus.OKAY) {
                failed++;
            }
        }
        return failed;
    }

    /** One segment, checked in the order Xen's {@code gnttab_copy} checks it. */
    private int copySegment(GrantCopyBatch batch, int i) {
        int flags = batch.flags(i);
        int len = batch.length(i);
        boolean fromGuest = (flags & GrantCopyBatch.FLAG_SOURCE_GREF) != 0;
        boolean toGuest = (flags & GrantCopyBatch.FLAG_DEST_GREF) != 0;
        if ((fromGuest && batch.sourcePageOffset(i) + len > XenPage.SIZE)
                || (toGuest && batch.destPageOffset(i) + len > XenPage.SIZE)) {
            return GrantStatus.BAD_COPY_ARG;
        }
        if (!fromGuest && !toGuest) {
            return GrantStatus.PERMISSION_DENIED;
        }
        HarnessDomain source = fromGuest ? harness.domain(batch.sourceDomid(i)) : null;
        HarnessDomain dest = toGuest ? harness.domain(batch.destDomid(i)) : null;
        if ((fromGuest && source == null) || (toGuest && dest == null)) {
            return GrantStatus.BAD_DOMAIN;
        }
        long from;
        if (fromGuest) {
            int frame = GrantPins.pin(source, self, batch.sourceRef(i), false);
            if (frame < 0) {
                return frame;
            }
            from = source.frameAddress(frame) + batch.sourcePageOffset(i);
        } else {
            from = batch.sourceAddress(i);
        }
        long to;
        if (toGuest) {
            int frame = GrantPins.pin(dest, self, batch.destRef(i), true);
            if (frame < 0) {
                if (fromGuest) {
                    GrantPins.unpin(source, batch.sourceRef(i), false);
                }
                return frame;
            }
            to = dest.frameAddress(frame) + batch.destPageOffset(i);
        } else {
            to = batch.destAddress(i);
        }
        UnsafeAccess.UNSAFE.copyMemory(from, to, len);
        if (fromGuest) {
            GrantPins.unpin(source, batch.sourceRef(i), false);
        }
        if (toGuest) {
            GrantPins.unpin(dest, batch.destRef(i), true);
        }
        return GrantStatus.OKAY;
    }

    /** Unmaps every region still mapped through this handle. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HarnessGrantMapping m : live) {
            release(m);
        }
        live.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("grant table handle is closed");
        }
    }
}
