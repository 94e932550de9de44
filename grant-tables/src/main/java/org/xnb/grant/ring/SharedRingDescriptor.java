package org.xnb.grant.ring;

import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.XenPage;

/**
 * Layout of an {@code io/ring.h} shared ring page ({@code struct __name##_sring} of
 * {@code DEFINE_RING_TYPES}), the only memory a frontend and a backend share for a ring.
 *
 * <pre>
 *   0                   4                   8                   12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | req_prod      u32 | req_event     u32 | rsp_prod      u32 | rsp_event     u32 |
 *   +-------------------+-------------------+-------------------+-------------------+
 *   16                  20                                                          64
 *   +-------------------+-----------------------------------------------------------+
 *   | pvt (4 bytes)     | __pad[44]                                                 |
 *   +-------------------+-----------------------------------------------------------+
 *   64: ring[0]        one entry = union { request; response }, entryBytes each
 *       ring[1]
 *       ...
 *       ring[size - 1]     size = rounddown_pow2((ringBytes - 64) / entryBytes)
 *   +-------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>The four indices are free-running unsigned 32-bit counters ({@code RING_IDX}); an index
 * addresses slot {@code index & (size - 1)}. The frontend produces requests (req_prod) and
 * consumes responses; the backend does the opposite. {@code req_event} / {@code rsp_event} are
 * written by the consumer of that direction to say "notify me once the producer index passes
 * this value" (notification suppression). Both sides run on the same CPU, so the page is in the
 * CPU's byte order (little-endian on every architecture Xen runs on).
 *
 * <p>Sizes follow {@code __CONST_RING_SIZE} / {@code __RING_SIZE}: for one 4 KiB page, netif TX
 * (12-byte slots) = 256, netif RX (8) = 256, netif control (16) = 128 entries.
 */
public final class SharedRingDescriptor {
    /** Frontend's published request producer index. */
    public static final int REQ_PROD_OFFSET = 0;
    /** Backend's "notify me when req_prod passes this" threshold. */
    public static final int REQ_EVENT_OFFSET = 4;
    /** Backend's published response producer index. */
    public static final int RSP_PROD_OFFSET = 8;
    /** Frontend's "notify me when rsp_prod passes this" threshold. */
    public static final int RSP_EVENT_OFFSET = 12;
    /** {@code pvt} union (4 bytes), zeroed by {@code SHARED_RING_INIT}. */
    public static final int PVT_OFFSET = 16;
    public static final int PVT_LENGTH = 4;
    /** {@code __pad[44]}. */
    public static final int PAD_OFFSET = 20;
    public static final int PAD_LENGTH = 44;
    /** Bytes before {@code ring[0]}: {@code offsetof(struct _sring, ring)}. */
    public static final int HEADER_LENGTH = 64;
    /** Offset of {@code ring[0]}. */
    public static final int ENTRIES_OFFSET = HEADER_LENGTH;
    /** Xen's ring page size ({@code XEN_PAGE_SIZE}), independent of the host's page size. */
    public static final int PAGE_BYTES = XenPage.SIZE;

    private SharedRingDescriptor() {
    }

    /**
     * Entries in a ring of {@code ringBytes} bytes (one or more pages) with {@code entryBytes}
     * slots: {@code __RD32((ringBytes - 64) / entryBytes)}, i.e. rounded down to a power of two.
     *
     * @throws IllegalArgumentException if not even one entry fits
     */
    public static int ringSize(int ringBytes, int entryBytes) {
        if (entryBytes <= 0) {
            throw new IllegalArgumentException("entry size must be positive: " + entryBytes);
        }
        if (ringBytes < HEADER_LENGTH + entryBytes) {
            throw new IllegalArgumentException(
                    "ring of " + ringBytes + " bytes holds no " + entryBytes + "-byte entry");
        }
        return Integer.highestOneBit((ringBytes - HEADER_LENGTH) / entryBytes);
    }

    /** Offset from the page start of the slot that free-running {@code index} addresses. */
    public static int entryOffset(int index, int ringSize, int entryBytes) {
        return ENTRIES_OFFSET + (index & (ringSize - 1)) * entryBytes;
    }

    /**
     * Checks that a ring of {@code ringBytes} at {@code base} fits in {@code buffer} and that its
     * indices can be accessed atomically (4-byte aligned).
     */
    static void checkRegion(AtomicBuffer buffer, int base, int ringBytes) {
        if (base < 0 || (base & 3) != 0) {
            throw new IllegalArgumentException("ring base must be a non-negative multiple of 4: " + base);
        }
        if (buffer.byteArray() == null && ((buffer.addressOffset() + base) & 3) != 0) {
            throw new IllegalArgumentException("ring indices must be 4-byte aligned in memory");
        }
        if (ringBytes <= 0 || ringBytes % PAGE_BYTES != 0) {
            throw new IllegalArgumentException("ring bytes must be a whole number of 4 KiB pages: " + ringBytes);
        }
        if ((long) base + ringBytes > buffer.capacity()) {
            throw new IllegalArgumentException("ring [" + base + ", " + ((long) base + ringBytes)
                    + ") exceeds buffer capacity " + buffer.capacity());
        }
    }
}
