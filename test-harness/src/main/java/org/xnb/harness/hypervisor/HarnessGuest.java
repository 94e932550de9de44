package org.xnb.harness.hypervisor;

import java.nio.file.Path;
import java.util.BitSet;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.XenPage;

/**
 * A simulated guest's side of the hypervisor, what a mock netfront needs: its own memory, its
 * grant table (grant a frame to a domain, end the grant the way Linux does) and event channels.
 * One instance per guest domain, in any process; not thread-safe.
 */
public final class HarnessGuest implements AutoCloseable {
    private final HarnessDirectory harness;
    private final HarnessDomain domain;
    private final BitSet usedRefs = new BitSet();

    /** Acts as guest {@code domid}, which must exist in the harness at {@code dir}. */
    public HarnessGuest(Path dir, int domid) {
        this.harness = HarnessDirectory.open(dir);
        try {
            this.domain = harness.requireDomain(domid);
        } catch (RuntimeException e) {
            harness.close();
            throw e;
        }
    }

    public int domid() {
        return domain.domid();
    }

    public int pages() {
        return domain.pages();
    }

    /** All of the guest's memory; frame {@code f} starts at {@code f * 4096}. */
    public AtomicBuffer memory() {
        return domain.memory();
    }

    /**
     * Grants {@code domid} access to {@code frame} (gnttab_grant_foreign_access): writes frame
     * and domid, then publishes the flags with a release store. Any frame number is accepted:
     * checking it is the hypervisor's job, and tests of bad guests need bad frames.
     *
     * @return the grant ref
     */
    public int grantAccess(int frame, int domid, boolean readOnly) {
        int ref = usedRefs.nextClearBit(GrantEntryV1.RESERVED_ENTRIES);
        if (ref >= domain.grantEntries()) {
            throw new IllegalStateException("guest " + domain.domid() + " has no free grant ref ("
                    + domain.grantEntries() + " entries)");
        }
        usedRefs.set(ref);
        int flags = GrantEntryV1.GTF_PERMIT_ACCESS | (readOnly ? GrantEntryV1.GTF_READONLY : 0);
        writeGrantEntry(ref, flags, domid, frame);
        return ref;
    }

    /**
     * Writes a grant entry as given, for tests of misbehaving guests (a transitive grant, a ref
     * rewritten while mapped...). Frame first, then the flags+domid word with a release store.
     */
    public void writeGrantEntry(int ref, int flags, int domid, int frame) {
        checkRef(ref);
        int at = ref * GrantEntryV1.SIZE;
        domain.grantTable().putInt(at + GrantEntryV1.FRAME_OFFSET, frame);
        domain.grantTable().putIntOrdered(at, GrantEntryV1.word(flags, domid));
    }

    /** The flags of a grant entry as the hypervisor left them (GTF_reading/GTF_writing...). */
    public int grantFlags(int ref) {
        checkRef(ref);
        return GrantEntryV1.flags(domain.grantTable().getIntVolatile(ref * GrantEntryV1.SIZE));
    }

    /**
     * Ends a grant if no domain is using it (Linux's gnttab_end_foreign_access_ref): one CAS
     * clearing the flags, which fails while GTF_reading or GTF_writing is set.
     *
     * @return false if the grant is still mapped or being copied; it stays granted then
     */
    public boolean tryEndAccess(int ref) {
        checkRef(ref);
        int at = ref * GrantEntryV1.SIZE;
        for (int retry = 0; retry < 1_000_000; retry++) {
            int word = domain.grantTable().getIntVolatile(at);
            if ((word & (GrantEntryV1.GTF_READING | GrantEntryV1.GTF_WRITING)) != 0) {
                return false;
            }
            if (domain.grantTable().compareAndSetInt(at, word, word & 0xffff0000)) {
                usedRefs.clear(ref);
                return true;
            }
        }
        return false;
    }

    /** {@link #tryEndAccess}, failing with the reason when the grant is in use. */
    public void endAccess(int ref) {
        if (!tryEndAccess(ref)) {
            throw new IllegalStateException("grant ref " + ref + " of domain " + domain.domid()
                    + " is still in use (flags 0x" + Integer.toHexString(grantFlags(ref)) + ")");
        }
    }

    /** Address of a page of the guest's memory in this process. */
    public long frameAddress(int frame) {
        if (frame < 0 || frame >= domain.pages()) {
            throw new IllegalArgumentException("frame " + frame + " outside " + domain.pages() + " pages");
        }
        return domain.frameAddress(frame);
    }

    /** Offset of a frame in {@link #memory()}. */
    public static int frameOffset(int frame) {
        return frame * XenPage.SIZE;
    }

    /** An event-channel handle of this guest (allocate unbound ports with it, notify, wait). */
    public HarnessEventChannel openEventChannel() {
        return new HarnessEventChannel(harness, domain.domid());
    }

    private void checkRef(int ref) {
        if (ref < 0 || ref >= domain.grantEntries()) {
            throw new IllegalArgumentException("grant ref " + ref + " outside " + domain.grantEntries() + " entries");
        }
    }

    /** Unmaps the harness files; close the event channels opened here first. */
    @Override
    public void close() {
        harness.close();
    }
}
