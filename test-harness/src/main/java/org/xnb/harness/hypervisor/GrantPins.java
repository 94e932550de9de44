package org.xnb.harness.hypervisor;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.GrantStatus;

/**
 * Pinning a grant for a map or a copy, as Xen's {@code map_grant_ref} / {@code
 * acquire_grant_for_copy} do. The first pin checks the guest's entry (GTF_permit_access, the
 * granted domid, GTF_readonly against a write pin), sets GTF_reading (and GTF_writing) with a
 * CAS on the flags+domid word, reads the frame and latches it; the last unpin clears the flags
 * again. Pin counts live in the hypervisor-private active entry, under its lock, so that two
 * backend processes cannot interleave a first pin with a last unpin.
 *
 * <p>Status codes are Xen's: a ref past the table is GNTST_bad_gntref; wrong type, wrong domid
 * or a write pin of a read-only grant is GNTST_general_error; a frame outside the guest's memory
 * is GNTST_bad_page. Nothing here allocates.
 */
final class GrantPins {
    /** Xen gives up after five CAS races with the guest ("shared grant entry is unstable"). */
    private static final int CAS_RETRIES = 5;
    /** Clearing our own bits must succeed; a guest rewriting the word forever is bounded here. */
    private static final int CLEAR_RETRIES = 1_000_000;

    private GrantPins() {
    }

    /**
     * Pins {@code ref} of {@code granter} for domain {@code mapper}.
     *
     * @return the guest frame (>= 0), or a negative GNTST status
     */
    static int pin(HarnessDomain granter, int mapper, int ref, boolean writable) {
        if (ref < 0 || ref >= granter.grantEntries()) {
            return GrantStatus.BAD_GNTREF;
        }
        UnsafeBuffer state = granter.state();
        int active = DomainLayout.activeOffset(ref);
        SharedLock.lock(state, active + DomainLayout.ACTIVE_LOCK);
        try {
            int readPins = state.getInt(active + DomainLayout.ACTIVE_READ_PINS);
            int writePins = state.getInt(active + DomainLayout.ACTIVE_WRITE_PINS);
            boolean pinned = readPins + writePins > 0;
            if (pinned && state.getInt(active + DomainLayout.ACTIVE_PINNED_BY) != mapper) {
                return GrantStatus.GENERAL_ERROR;
            }
            if (!pinned || (writable && writePins == 0)) {
                int status = setStatus(granter.grantTable(), ref * GrantEntryV1.SIZE, mapper, pinned, writable);
                if (status != GrantStatus.OKAY) {
                    return status;
                }
                if (!pinned) {
                    int frame = granter.grantTable().getIntVolatile(ref * GrantEntryV1.SIZE + GrantEntryV1.FRAME_OFFSET);
                    if (frame < 0 || frame >= granter.pages()) {
                        clearFlags(granter.grantTable(), ref * GrantEntryV1.SIZE,
                                GrantEntryV1.GTF_READING | GrantEntryV1.GTF_WRITING);
                        return GrantStatus.BAD_PAGE;
                    }
                    state.putInt(active + DomainLayout.ACTIVE_FRAME, frame);
                    state.putInt(active + DomainLayout.ACTIVE_PINNED_BY, mapper);
                }
            }
            if (writable) {
                state.putInt(active + DomainLayout.ACTIVE_WRITE_PINS, writePins + 1);
            } else {
                state.putInt(active + DomainLayout.ACTIVE_READ_PINS, readPins + 1);
            }
            return state.getInt(active + DomainLayout.ACTIVE_FRAME);
        } finally {
            SharedLock.unlock(state, active + DomainLayout.ACTIVE_LOCK);
        }
    }

    /** Drops one pin taken by {@link #pin}; the last pin clears GTF_reading, the last writer GTF_writing. */
    static void unpin(HarnessDomain granter, int ref, boolean writable) {
        UnsafeBuffer state = granter.state();
        int active = DomainLayout.activeOffset(ref);
        SharedLock.lock(state, active + DomainLayout.ACTIVE_LOCK);
        try {
            int pinsAt = active + (writable ? DomainLayout.ACTIVE_WRITE_PINS : DomainLayout.ACTIVE_READ_PINS);
            int left = state.getInt(pinsAt) - 1;
            if (left < 0) {
                throw new IllegalStateException("unpin of grant ref " + ref + " of domain " + granter.domid()
                        + " that is not pinned " + (writable ? "writable" : "read-only"));
            }
            state.putInt(pinsAt, left);
            int readPins = state.getInt(active + DomainLayout.ACTIVE_READ_PINS);
            int writePins = state.getInt(active + DomainLayout.ACTIVE_WRITE_PINS);
            int clear = 0;
            if (writePins == 0) {
                clear |= GrantEntryV1.GTF_WRITING;
            }
            if (readPins + writePins == 0) {
                clear |= GrantEntryV1.GTF_READING;
            }
            if (writable || readPins + writePins == 0) {
                clearFlags(granter.grantTable(), ref * GrantEntryV1.SIZE, clear);
            }
        } finally {
            SharedLock.unlock(state, active + DomainLayout.ACTIVE_LOCK);
        }
    }

    /** Xen's {@code _set_status_v1}: check the entry and set the access flags in one CAS. */
    private static int setStatus(UnsafeBuffer table, int entry, int mapper, boolean pinned, boolean writable) {
        for (int retry = 0; retry < CAS_RETRIES; retry++) {
            int word = table.getIntVolatile(entry);
            int flags = GrantEntryV1.flags(word);
            if (!pinned && ((flags & GrantEntryV1.GTF_TYPE_MASK) != GrantEntryV1.GTF_PERMIT_ACCESS
                    || GrantEntryV1.domid(word) != mapper)) {
                return GrantStatus.GENERAL_ERROR;
            }
            int next = word | GrantEntryV1.GTF_READING;
            if (writable) {
                if ((flags & GrantEntryV1.GTF_READONLY) != 0) {
                    return GrantStatus.GENERAL_ERROR;
                }
                next |= GrantEntryV1.GTF_WRITING;
            }
            if (table.compareAndSetInt(entry, word, next)) {
                return GrantStatus.OKAY;
            }
        }
        return GrantStatus.GENERAL_ERROR;
    }

    private static void clearFlags(UnsafeBuffer table, int entry, int bits) {
        for (int retry = 0; retry < CLEAR_RETRIES; retry++) {
            int word = table.getIntVolatile(entry);
            if ((word & bits) == 0 || table.compareAndSetInt(entry, word, word & ~bits)) {
                return;
            }
        }
        throw new IllegalStateException("grant entry at " + entry + " changed a million times while clearing flags");
    }
}
