package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.NetfrontCtrlRing.Reply;

/**
 * The control-ring client's wire format, read and written by hand at {@code netif.h}'s offsets
 * through the backend's own mappings (no ring or codec classes on the backend side):
 *
 * <pre>
 *   sring: req_prod @0, req_event @4, rsp_prod @8, rsp_event @12, entries @64 (16-byte slots)
 *   request:  id u16 @0, type u16 @2, data[0] u32 @4, data[1] u32 @8, data[2] u32 @12
 *   response: id u16 @0, type u16 @2, status u32 @4, data u32 @8
 * </pre>
 */
class NetfrontCtrlRingTest {
    private static final int ENTRIES = 64;
    private static final int SLOT = 16;
    private HarnessHost host;
    private HarnessGuest guest;
    private NetfrontCtrlRing front;
    private GrantTable grants;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        guest = new HarnessGuest(host.dir, HarnessHost.GUEST_A);
        front = new NetfrontCtrlRing(guest, 10, HarnessHost.BACKEND);
        grants = host.hypervisor.openGrantTable();
    }

    @AfterEach
    void tearDown() {
        grants.close();
        front.close();
        guest.close();
        host.close();
    }

    @Test
    void requestsAreNetifBytesAndTheDataIsInTheGrantedPages() {
        int a = front.setAlgorithm(1);
        int k = front.setKey(new byte[] {9, 8, 7});
        int m = front.setMapping(new int[] {3, 0xffffffff}, 5);
        int r = front.post(0xabcd, 0x11111111, 0x22222222, 0x33333333);
        front.push();

        GrantMapping ring = grants.map(HarnessHost.GUEST_A, new int[] {front.ringRef}, 1, true);
        GrantMapping key = grants.map(HarnessHost.GUEST_A, new int[] {front.keyRef}, 1, false);
        GrantMapping table = grants.map(HarnessHost.GUEST_A, new int[] {front.mappingRef}, 1, false);
        try {
            AtomicBuffer b = ring.buffer();
            assertEquals(4, b.getInt(0, LITTLE_ENDIAN), "req_prod");
            assertSlot(b, ENTRIES, a, 7, 1, 0, 0);
            assertSlot(b, ENTRIES + SLOT, k, 3, front.keyRef, 3, 0);
            assertSlot(b, ENTRIES + 2 * SLOT, m, 6, front.mappingRef, 2, 5);
            assertSlot(b, ENTRIES + 3 * SLOT, r, 0xabcd, 0x11111111, 0x22222222, 0x33333333);
            byte[] keyBytes = new byte[3];
            key.buffer().getBytes(0, keyBytes);
            assertArrayEquals(new byte[] {9, 8, 7}, keyBytes);
            assertEquals(3, table.buffer().getInt(0, LITTLE_ENDIAN));
            assertEquals(0xffffffff, table.buffer().getInt(4, LITTLE_ENDIAN));

            // responses written by hand, out of order (netif.h allows any order)
            writeResponse(b, ENTRIES, r, 0xabcd, 1, 0);
            writeResponse(b, ENTRIES + SLOT, a, 7, 0, 0);
            b.putIntOrdered(8, 2); // rsp_prod
            assertEquals(List.of(new Reply(r, 0xabcd, 1, 0), new Reply(a, 7, 0, 0)), front.responses());
            assertEquals(List.of(), front.responses());
        } finally {
            grants.unmap(ring);
            grants.unmap(key);
            grants.unmap(table);
        }
    }

    /** netif.h: the key and table grants "may be read-only": a writable map of them is refused. */
    @Test
    void dataPagesAreGrantedReadOnly() {
        assertThrows(GrantException.class, () -> grants.map(HarnessHost.GUEST_A, new int[] {front.keyRef}, 1, true));
        assertThrows(GrantException.class,
                () -> grants.map(HarnessHost.GUEST_A, new int[] {front.mappingRef}, 1, true));
    }

    @Test
    void aGarbageRequestProducerIsPublished() {
        front.publishRequestProducer(0x12345678);
        GrantMapping ring = grants.map(HarnessHost.GUEST_A, new int[] {front.ringRef}, 1, true);
        try {
            assertEquals(0x12345678, ring.buffer().getIntVolatile(0));
        } finally {
            grants.unmap(ring);
        }
    }

    @Test
    void aGuestTooSmallForTheThreePagesIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new NetfrontCtrlRing(guest, HarnessHost.PAGES - 2, HarnessHost.BACKEND));
    }

    private static void assertSlot(AtomicBuffer b, int at, int id, int type, int d0, int d1, int d2) {
        assertEquals(id, b.getShort(at, LITTLE_ENDIAN) & 0xffff, "id");
        assertEquals(type, b.getShort(at + 2, LITTLE_ENDIAN) & 0xffff, "type");
        assertEquals(d0, b.getInt(at + 4, LITTLE_ENDIAN), "data[0]");
        assertEquals(d1, b.getInt(at + 8, LITTLE_ENDIAN), "data[1]");
        assertEquals(d2, b.getInt(at + 12, LITTLE_ENDIAN), "data[2]");
    }

    private static void writeResponse(AtomicBuffer b, int at, int id, int type, int status, int data) {
        b.putShort(at, (short) id, LITTLE_ENDIAN);
        b.putShort(at + 2, (short) type, LITTLE_ENDIAN);
        b.putInt(at + 4, status, LITTLE_ENDIAN);
        b.putInt(at + 8, data, LITTLE_ENDIAN);
    }
}
