package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.harness.netfront.MockNetfront.RxSlot;

/**
 * The mock netfront's wire format, read and written by hand at {@code netif.h}'s offsets through
 * the backend's own mappings (no ring or codec classes on the backend side):
 *
 * <pre>
 *   sring: req_prod @0, req_event @4, rsp_prod @8, rsp_event @12, entries @64
 *   Tx slot (12 B): request  gref u32 @0, offset u16 @4, flags u16 @6, id u16 @8, size u16 @10
 *                   response id u16 @0, status s16 @2
 *   Rx slot (8 B):  request  id u16 @0, gref u32 @4
 *                   response id u16 @0, offset u16 @2, flags u16 @4, status s16 @6
 * </pre>
 */
class MockNetfrontTest {
    private static final int ENTRIES = 64;
    private HarnessHost host;
    private MockNetfront front;
    private GrantTable grants;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        grants = host.hypervisor.openGrantTable();
    }

    @AfterEach
    void tearDown() {
        grants.close();
        front.close();
        host.close();
    }

    @Test
    void txRequestsAreNetifBytesAndTheDataIsInTheGrantedPages() {
        byte[] p = Packets.packet(100, 7);
        int[] ids = front.postPacket(p, NetTxFlags.CSUM_BLANK, new int[] {60, 40}, 8, 0);
        front.pushTx();

        GrantMapping ring = grants.map(HarnessHost.GUEST_A, new int[] {front.txRingRef}, 1, true);
        try {
            AtomicBuffer r = ring.buffer();
            assertEquals(2, r.getInt(0, LITTLE_ENDIAN), "req_prod");
            int s0 = ENTRIES;
            int s1 = ENTRIES + 12;
            assertEquals(8, r.getShort(s0 + 4, LITTLE_ENDIAN));
            assertEquals(NetTxFlags.CSUM_BLANK | NetTxFlags.MORE_DATA, r.getShort(s0 + 6, LITTLE_ENDIAN));
            assertEquals(ids[0], r.getShort(s0 + 8, LITTLE_ENDIAN) & 0xffff);
            assertEquals(100, r.getShort(s0 + 10, LITTLE_ENDIAN), "first slot: the packet's size");
            assertEquals(0, r.getShort(s1 + 6, LITTLE_ENDIAN), "last slot: no more_data");
            assertEquals(40, r.getShort(s1 + 10, LITTLE_ENDIAN));
            assertArrayEquals(slice(p, 0, 60), readGranted(r.getInt(s0, LITTLE_ENDIAN), 8, 60));
            assertArrayEquals(slice(p, 60, 40), readGranted(r.getInt(s1, LITTLE_ENDIAN), 0, 40));

            r.putShort(s0, (short) ids[0], LITTLE_ENDIAN);
            r.putShort(s0 + 2, (short) 0, LITTLE_ENDIAN);
            r.putShort(s1, (short) ids[1], LITTLE_ENDIAN);
            r.putShort(s1 + 2, (short) -1, LITTLE_ENDIAN);
            r.putIntVolatile(8, 2);
            List<int[]> rsp = front.txResponses();
            assertEquals(2, rsp.size());
            assertArrayEquals(new int[] {ids[0], 0}, rsp.get(0));
            assertArrayEquals(new int[] {ids[1], -1}, rsp.get(1));
        } finally {
            grants.unmap(ring);
        }
        assertEquals(0, host.account.mappedPages(HarnessHost.BACKEND));
    }

    @Test
    void rxBuffersArePostedAndWhatTheBackendWritesIsReadBack() {
        front.postRx(2);

        GrantMapping ring = grants.map(HarnessHost.GUEST_A, new int[] {front.rxRingRef}, 1, true);
        try {
            AtomicBuffer r = ring.buffer();
            assertEquals(2, r.getInt(0, LITTLE_ENDIAN), "req_prod");
            int id = r.getShort(ENTRIES, LITTLE_ENDIAN) & 0xffff;
            int gref = r.getInt(ENTRIES + 4, LITTLE_ENDIAN);
            byte[] payload = Packets.packet(300, 9);
            GrantMapping page = grants.map(HarnessHost.GUEST_A, new int[] {gref}, 1, true);
            try {
                page.buffer().putBytes(10, payload);
            } finally {
                grants.unmap(page);
            }
            r.putShort(ENTRIES, (short) id, LITTLE_ENDIAN);
            r.putShort(ENTRIES + 2, (short) 10, LITTLE_ENDIAN);
            r.putShort(ENTRIES + 4, (short) 0, LITTLE_ENDIAN);
            r.putShort(ENTRIES + 6, (short) payload.length, LITTLE_ENDIAN);
            r.putIntVolatile(8, 1);

            List<RxSlot> slots = front.rxResponses();
            assertEquals(1, slots.size());
            assertEquals(id, slots.get(0).id());
            assertEquals(10, slots.get(0).offset());
            assertEquals(payload.length, slots.get(0).status());
            assertArrayEquals(payload, front.rxData(id, 10, payload.length));
            assertEquals(1, front.rx.freeRequests() - (front.rx.size() - 2), "one of two buffers answered");
        } finally {
            grants.unmap(ring);
        }
    }

    private byte[] readGranted(int gref, int offset, int length) {
        GrantMapping page = grants.map(HarnessHost.GUEST_A, new int[] {gref}, 1, false);
        try {
            byte[] b = new byte[length];
            page.buffer().getBytes(offset, b);
            return b;
        } finally {
            grants.unmap(page);
        }
    }

    private static byte[] slice(byte[] b, int from, int length) {
        byte[] s = new byte[length];
        System.arraycopy(b, from, s, 0, length);
        return s;
    }
}
