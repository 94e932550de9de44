package org.xnb.netback.tx;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.xnb.grant.XenPage;

/**
 * The packets of one Tx batch between "requests checked" and "grant copy done": where each one's
 * bytes land, which copy segments fill it, and which ring ids to answer. Preallocated for a whole
 * ring, so a batch never allocates.
 *
 * <pre>
 *  arena (off-heap, ringSize * (4096 + 64) bytes)
 *  +----------+--+----------------------+--+--------+-------------------------------+
 *  | packet 0 |  | packet 1             |  | pkt 2  |  ... free                     |
 *  +----------+--+----------------------+--+--------+-------------------------------+
 *  each packet starts 64-byte aligned and is contiguous: slot data is copied end to end
 * </pre>
 *
 * <p>Why it cannot overflow: a slot carries at most 4096 bytes (offset + size is checked against
 * the page), and the packets of a batch occupy only slots that are consumed but not yet answered,
 * which the ring bounds by its size ({@code BackRing.unconsumedRequests} never lets
 * {@code req_cons - rsp_prod_pvt} exceed it). So the bytes of a batch are at most
 * {@code ringSize * 4096} plus the alignment of each packet, and its copy segments at most one per
 * slot.
 */
final class TxPending {
    static final int ALIGN = 64;

    final long arenaAddress;
    final int arenaBytes;
    private final ByteBuffer arena;
    private int arenaUsed;

    final int capacity;
    int count;
    final int[] firstId;
    final int[] extraCount;
    final int[] offset;
    final int[] length;
    final int[] segStart;
    final int[] segEnd;
    final int[] fragIdStart;
    final int[] fragIdEnd;
    final int[] gsoType;
    final int[] gsoSize;
    final int[] checksum;
    final int[] hashType;
    final int[] hashValue;
    /** Ids of every fragment slot of the batch, packet after packet. */
    final int[] fragIds;
    int fragIdCount;

    TxPending(int ringSize) {
        this.capacity = ringSize;
        this.arenaBytes = ringSize * (XenPage.SIZE + ALIGN);
        this.arena = BufferUtil.allocateDirectAligned(arenaBytes, ALIGN);
        this.arenaAddress = BufferUtil.address(arena);
        firstId = new int[ringSize];
        extraCount = new int[ringSize];
        offset = new int[ringSize];
        length = new int[ringSize];
        segStart = new int[ringSize];
        segEnd = new int[ringSize];
        fragIdStart = new int[ringSize];
        fragIdEnd = new int[ringSize];
        gsoType = new int[ringSize];
        gsoSize = new int[ringSize];
        checksum = new int[ringSize];
        hashType = new int[ringSize];
        hashValue = new int[ringSize];
        fragIds = new int[ringSize];
    }

    void clear() {
        count = 0;
        arenaUsed = 0;
        fragIdCount = 0;
    }

    /** Claims {@code bytes} of arena for the next packet and returns its offset. */
    int claim(int bytes) {
        int at = arenaUsed;
        if (at + bytes > arenaBytes || count == capacity) {
            // Guards our own arithmetic; the ring's bounds make this unreachable (see class doc).
            throw new IllegalStateException("Tx batch overflow: " + count + " packets, " + at + " + " + bytes
                    + " of " + arenaBytes + " bytes");
        }
        arenaUsed = (at + bytes + ALIGN - 1) & -ALIGN;
        return at;
    }

    void addFragId(int id) {
        fragIds[fragIdCount++] = id;
    }
}
