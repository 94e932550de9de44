package org.xnb.grant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated, off-heap batch of grant-copy segments laid out exactly as libxengnttab's
 * {@code xengnttab_grant_copy_segment_t}, so the real-Xen implementation hands its address to
 * {@code xengnttab_grant_copy} unchanged and the hot path allocates nothing.
 *
 * <pre>
 *  0                   8                   16        18        20        22        24
 *  +-------------------+-------------------+---------+---------+---------+---------+
 *  | source            | dest              | len u16 |flags u16|status   | (pad)   |
 *  +-------------------+-------------------+---------+---------+---------+---------+
 *  each 8-byte union is either a local virtual address (u64)
 *  or a foreign page: { ref u32 | offset u16 | domid u16 }
 *  flags: GNTCOPY_source_gref (1) says source is foreign, GNTCOPY_dest_gref (2) dest is foreign
 * </pre>
 */
public final class GrantCopyBatch {
    public static final int SEGMENT_SIZE = 24;
    public static final int SOURCE_OFFSET = 0;
    public static final int DEST_OFFSET = 8;
    public static final int LEN_OFFSET = 16;
    public static final int FLAGS_OFFSET = 18;
    public static final int STATUS_OFFSET = 20;
    /** Within a foreign union: ref at +0, page offset at +4, domid at +6. */
    public static final int FOREIGN_REF = 0;
    public static final int FOREIGN_OFFSET = 4;
    public static final int FOREIGN_DOMID = 6;

    /** {@code GNTCOPY_source_gref}. */
    public static final int FLAG_SOURCE_GREF = 1;
    /** {@code GNTCOPY_dest_gref}. */
    public static final int FLAG_DEST_GREF = 2;

    private final ByteBuffer memory;
    private final UnsafeBuffer segments;
    private final int capacity;
    private int size;

    public GrantCopyBatch(int capacity) {
        if (capacity <= 0 || capacity > 65536) {
            throw new IllegalArgumentException("capacity must be 1..65536: " + capacity);
        }
        this.capacity = capacity;
        this.memory = BufferUtil.allocateDirectAligned(capacity * SEGMENT_SIZE, 64).order(ByteOrder.LITTLE_ENDIAN);
        this.segments = new UnsafeBuffer(memory);
    }

    /** Copies {@code len} bytes from a foreign page into local memory at {@code localAddress}. */
    public int addFromGuest(int domid, int ref, int pageOffset, long localAddress, int len) {
        int i = claim(len, pageOffset);
        int base = i * SEGMENT_SIZE;
        putForeign(base + SOURCE_OFFSET, domid, ref, pageOffset);
        segments.putLong(base + DEST_OFFSET, localAddress);
        segments.putShort(base + FLAGS_OFFSET, (short) FLAG_SOURCE_GREF);
        return i;
    }

    /** Copies {@code len} bytes from local memory at {@code localAddress} into a foreign page. */
    public int addToGuest(long localAddress, int domid, int ref, int pageOffset, int len) {
        int i = claim(len, pageOffset);
        int base = i * SEGMENT_SIZE;
        segments.putLong(base + SOURCE_OFFSET, localAddress);
        putForeign(base + DEST_OFFSET, domid, ref, pageOffset);
        segments.putShort(base + FLAGS_OFFSET, (short) FLAG_DEST_GREF);
        return i;
    }

    private int claim(int len, int pageOffset) {
        if (size == capacity) {
            throw new IllegalStateException("grant copy batch full (" + capacity + " segments)");
        }
        if (len < 0 || len > XenPage.SIZE || pageOffset < 0 || pageOffset > 0xffff) {
            // The caller validates guest input; this guards our own arithmetic.
            throw new IllegalArgumentException("segment len " + len + " offset " + pageOffset);
        }
        int i = size++;
        int base = i * SEGMENT_SIZE;
        segments.putShort(base + LEN_OFFSET, (short) len);
        segments.putShort(base + STATUS_OFFSET, (short) GrantStatus.GENERAL_ERROR);
        segments.putShort(base + STATUS_OFFSET + 2, (short) 0);
        return i;
    }

    private void putForeign(int at, int domid, int ref, int pageOffset) {
        segments.putInt(at + FOREIGN_REF, ref);
        segments.putShort(at + FOREIGN_OFFSET, (short) pageOffset);
        segments.putShort(at + FOREIGN_DOMID, (short) domid);
    }

    /** Empties the batch for reuse. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** GNTST status of segment {@code i} after {@link GrantTable#copy}. */
    public int status(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + STATUS_OFFSET);
    }

    /** Sets the status of segment {@code i} (for implementations of {@link GrantTable#copy}). */
    public void setStatus(int i, int status) {
        segments.putShort(checked(i) * SEGMENT_SIZE + STATUS_OFFSET, (short) status);
    }

    public int flags(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + FLAGS_OFFSET) & 0xffff;
    }

    public int length(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + LEN_OFFSET) & 0xffff;
    }

    /** Local address of the source (segments without {@link #FLAG_SOURCE_GREF}). */
    public long sourceAddress(int i) {
        return segments.getLong(checked(i) * SEGMENT_SIZE + SOURCE_OFFSET);
    }

    /** Local address of the destination (segments without {@link #FLAG_DEST_GREF}). */
    public long destAddress(int i) {
        return segments.getLong(checked(i) * SEGMENT_SIZE + DEST_OFFSET);
    }

    public int sourceRef(int i) {
        return segments.getInt(checked(i) * SEGMENT_SIZE + SOURCE_OFFSET + FOREIGN_REF);
    }

    public int sourcePageOffset(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + SOURCE_OFFSET + FOREIGN_OFFSET) & 0xffff;
    }

    public int sourceDomid(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + SOURCE_OFFSET + FOREIGN_DOMID) & 0xffff;
    }

    public int destRef(int i) {
        return segments.getInt(checked(i) * SEGMENT_SIZE + DEST_OFFSET + FOREIGN_REF);
    }

    public int destPageOffset(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + DEST_OFFSET + FOREIGN_OFFSET) & 0xffff;
    }

    public int destDomid(int i) {
        return segments.getShort(checked(i) * SEGMENT_SIZE + DEST_OFFSET + FOREIGN_DOMID) & 0xffff;
    }

    /** Native address of segment 0, for passing the whole batch to libxengnttab. */
    public long address() {
        return segments.addressOffset();
    }

    private int checked(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("segment " + i + " of " + size);
        }
        return i;
    }
}
