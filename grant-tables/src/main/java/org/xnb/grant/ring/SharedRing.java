package org.xnb.grant.ring;

import static org.xnb.grant.ring.SharedRingDescriptor.ENTRIES_OFFSET;

import org.agrona.concurrent.AtomicBuffer;

/**
 * What a front and a back view of one shared ring have in common: where the page is, how big a
 * slot is, how many slots there are ({@code nr_ents}), and how an index maps to a slot.
 */
abstract class SharedRing {
    final AtomicBuffer buffer;
    final int base;
    final int entryBytes;
    final int size;
    final int mask;

    SharedRing(AtomicBuffer buffer, int base, int ringBytes, int entryBytes) {
        SharedRingDescriptor.checkRegion(buffer, base, ringBytes);
        this.buffer = buffer;
        this.base = base;
        this.entryBytes = entryBytes;
        this.size = SharedRingDescriptor.ringSize(ringBytes, entryBytes);
        this.mask = size - 1;
    }

    /** {@code RING_SIZE}: number of slots, a power of two. */
    public final int size() {
        return size;
    }

    /** Bytes per slot (the size of the request/response union). */
    public final int entryBytes() {
        return entryBytes;
    }

    /** The memory the ring lives in. */
    public final AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * Offset in {@link #buffer()} of the slot for free-running {@code index}
     * ({@code RING_GET_REQUEST} / {@code RING_GET_RESPONSE}).
     */
    public final int entryOffset(int index) {
        return base + ENTRIES_OFFSET + (index & mask) * entryBytes;
    }

    /** Acquire-load of a shared index: entries it covers are visible once this returns. */
    final int loadAcquire(int fieldOffset) {
        return buffer.getIntVolatile(base + fieldOffset);
    }

    /** {@code a < b} for unsigned 32-bit values, as C compares {@code RING_IDX}. */
    static boolean unsignedLess(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0;
    }
}
