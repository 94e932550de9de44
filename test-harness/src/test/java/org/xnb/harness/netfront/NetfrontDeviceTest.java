package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.harness.hypervisor.ScratchDirectory;

/**
 * The netfront's rings as a backend sees them, read and written by hand at {@code netif.h}'s
 * offsets through the backend's own grant mappings: a GSO frame over three pages (first slot's
 * size = the frame, the GSO extra right after it, then the other pages), Tx responses freeing the
 * pages (the extra's RSP_NULL frees nothing), Rx buffers offered by ring index, a frame with a GSO
 * extra over two Rx slots put back together, and a half-published frame left alone.
 */
class NetfrontDeviceTest {
    private static final int GUEST = 3;
    private static final int RING_HDR = 64;
    private ScratchDirectory scratch;
    private HarnessHypervisor backend;
    private GrantTable grants;
    private HarnessGuest guest;
    private NetfrontDevice dev;

    @BeforeEach
    void setUp() {
        scratch = new ScratchDirectory(null, "xnb-netfront-");
        try (HarnessDirectory h = HarnessDirectory.create(scratch.path())) {
            h.createDomain(0, 0, 64, 16);
            h.createDomain(GUEST, NetfrontDevice.PAGES, NetfrontDevice.GRANTS, 16);
        }
        backend = new HarnessHypervisor(scratch.path(), 0);
        grants = backend.openGrantTable();
        guest = new HarnessGuest(scratch.path(), GUEST);
        dev = new NetfrontDevice(guest, 0, true);
    }

    @AfterEach
    void tearDown() {
        dev.close();
        guest.close();
        grants.close();
        backend.close();
        scratch.close();
    }

    @Test
    void gsoFrameOverThreePagesAndItsResponses() {
        byte[] frame = bytes(9000, 11);
        assertTrue(dev.canSend(frame.length, true));
        dev.send(new UnsafeBuffer(frame), 0, frame.length, NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED,
                ExtraInfo.GSO_TYPE_TCPV4, 1448);
        dev.pushTx();
        assertNotEquals(dev.txPort(), dev.rxPort(), "split event channels");

        GrantMapping ring = grants.map(GUEST, new int[] {dev.txRingRef()}, 1, true);
        try {
            AtomicBuffer r = ring.buffer();
            assertEquals(4, r.getInt(0, LITTLE_ENDIAN), "req_prod: three data slots and one extra");
            int s0 = RING_HDR;
            int extra = s0 + 12;
            int s1 = extra + 12;
            int s2 = s1 + 12;
            assertEquals(NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED | NetTxFlags.MORE_DATA | NetTxFlags.EXTRA_INFO,
                    r.getShort(s0 + 6, LITTLE_ENDIAN));
            assertEquals(9000, r.getShort(s0 + 10, LITTLE_ENDIAN), "first slot: the frame's size");
            assertEquals(ExtraInfo.TYPE_GSO, r.getByte(extra));
            assertEquals(1448, r.getShort(extra + 2, LITTLE_ENDIAN), "gso.size");
            assertEquals(ExtraInfo.GSO_TYPE_TCPV4, r.getByte(extra + 4));
            assertEquals(NetTxFlags.MORE_DATA, r.getShort(s1 + 6, LITTLE_ENDIAN));
            assertEquals(4096, r.getShort(s1 + 10, LITTLE_ENDIAN));
            assertEquals(0, r.getShort(s2 + 6, LITTLE_ENDIAN), "last slot");
            assertEquals(9000 - 8192, r.getShort(s2 + 10, LITTLE_ENDIAN));
            byte[] seen = new byte[9000];
            readGranted(r.getInt(s0, LITTLE_ENDIAN), seen, 0, 4096);
            readGranted(r.getInt(s1, LITTLE_ENDIAN), seen, 4096, 4096);
            readGranted(r.getInt(s2, LITTLE_ENDIAN), seen, 8192, 808);
            assertArrayEquals(frame, seen);
            assertFalse(dev.txIdle());

            // responses: slot order, RSP_NULL for the extra (with the first slot's id, as Linux netback does)
            int id0 = r.getShort(s0 + 8, LITTLE_ENDIAN);
            int[] ids = {id0, id0, r.getShort(s1 + 8, LITTLE_ENDIAN), r.getShort(s2 + 8, LITTLE_ENDIAN)};
            int[] status = {Netif.RSP_OKAY, Netif.RSP_NULL, Netif.RSP_OKAY, Netif.RSP_OKAY};
            for (int i = 0; i < 4; i++) {
                r.putShort(RING_HDR + i * 12, (short) ids[i], LITTLE_ENDIAN);
                r.putShort(RING_HDR + i * 12 + 2, (short) status[i], LITTLE_ENDIAN);
            }
            r.putIntVolatile(8, 4);
            assertEquals(4, dev.reapTx());
            assertTrue(dev.txIdle(), "every page free again");
            assertEquals(0, dev.txErrors());
        } finally {
            grants.unmap(ring);
        }
    }

    @Test
    void rxFrameWithGsoExtraOverTwoSlots() {
        dev.refillRx();
        GrantMapping ring = grants.map(GUEST, new int[] {dev.rxRingRef()}, 1, true);
        try {
            AtomicBuffer r = ring.buffer();
            assertEquals(NetfrontDevice.RX_SLOTS, r.getInt(0, LITTLE_ENDIAN), "every slot offered");
            assertEquals(5, r.getShort(RING_HDR + 5 * 8, LITTLE_ENDIAN), "request id = ring index");
            byte[] frame = bytes(5000, 3);
            // slot 0: 4000 bytes at offset 16, slot 1: the GSO extra, slot 2: the last 1000 bytes
            writeGranted(r.getInt(RING_HDR + 4, LITTLE_ENDIAN), 16, frame, 0, 4000);
            writeGranted(r.getInt(RING_HDR + 2 * 8 + 4, LITTLE_ENDIAN), 0, frame, 4000, 1000);
            rxResponse(r, 0, 0, 16, NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED | NetRxFlags.EXTRA_INFO
                    | NetRxFlags.MORE_DATA, 4000);
            ExtraInfo.writeGso(r, RING_HDR + 8, 0, 1400, ExtraInfo.GSO_TYPE_TCPV6, 0);
            UnsafeBuffer out = new UnsafeBuffer(new byte[70000]);

            r.putIntVolatile(8, 2); // the last slot not yet published
            assertEquals(0, dev.receive(out, 0, out.capacity()), "half a frame waits");

            rxResponse(r, 2, 2, 0, 0, 1000);
            r.putIntVolatile(8, 3);
            assertEquals(5000, dev.receive(out, 0, out.capacity()));
            byte[] got = new byte[5000];
            out.getBytes(0, got);
            assertArrayEquals(frame, got);
            assertEquals(NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED | NetRxFlags.EXTRA_INFO | NetRxFlags.MORE_DATA,
                    dev.rxFlags());
            assertEquals(ExtraInfo.GSO_TYPE_TCPV6, dev.rxGsoType());
            assertEquals(1400, dev.rxGsoSize());
            assertEquals(0, dev.receive(out, 0, out.capacity()));

            dev.refillRx();
            assertEquals(NetfrontDevice.RX_SLOTS + 3, r.getInt(0, LITTLE_ENDIAN), "the three slots offered again");
        } finally {
            grants.unmap(ring);
        }
    }

    @Test
    void rxErrorStatusDropsTheFrame() {
        dev.refillRx();
        GrantMapping ring = grants.map(GUEST, new int[] {dev.rxRingRef()}, 1, true);
        try {
            AtomicBuffer r = ring.buffer();
            rxResponse(r, 0, 0, 0, 0, Netif.RSP_ERROR);
            r.putIntVolatile(8, 1);
            UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
            assertEquals(-1, dev.receive(out, 0, out.capacity()));
            assertEquals(1, dev.rxErrors());
            assertEquals(0, dev.rxFrames());
        } finally {
            grants.unmap(ring);
        }
    }

    /** The per-frame calls, Tx and Rx, with the backend's responses written by hand: no allocation. */
    @Test
    void perFrameCallsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        GrantMapping txRing = grants.map(GUEST, new int[] {dev.txRingRef()}, 1, true);
        GrantMapping rxRing = grants.map(GUEST, new int[] {dev.rxRingRef()}, 1, true);
        try {
            UnsafeBuffer frame = new UnsafeBuffer(new byte[6000]);
            UnsafeBuffer out = new UnsafeBuffer(new byte[70000]);
            dev.refillRx();
            round(txRing.buffer(), rxRing.buffer(), frame, out, 0, 2000); // warm up (JIT, class loading)
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            round(txRing.buffer(), rxRing.buffer(), frame, out, 2000, 2000);
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            // one object per frame would be at least 16 B x 4000 = 64000 B; a few dozen bytes are the
            // JIT's (a late compilation or deoptimisation in the measured window), not the frames'
            assertTrue(allocated < 4000, "bytes allocated by 2000 frames each way: " + allocated);
            assertEquals(4000, dev.txFrames());
            assertEquals(4000, dev.rxFrames());
        } finally {
            grants.unmap(rxRing);
            grants.unmap(txRing);
        }
    }

    /** {@code n} frames each way: a 2-page Tx frame answered, a 1-slot Rx frame delivered and re-offered. */
    private void round(AtomicBuffer tx, AtomicBuffer rx, UnsafeBuffer frame, UnsafeBuffer out, int start, int n) {
        for (int i = start; i < start + n; i++) {
            dev.send(frame, 0, frame.capacity(), 0, ExtraInfo.GSO_TYPE_NONE, 0);
            dev.pushTx();
            int txReq = tx.getInt(0, LITTLE_ENDIAN);
            for (int slot = txReq - 2; slot < txReq; slot++) {
                int at = RING_HDR + (slot & (NetfrontDevice.TX_IDS - 1)) * 12;
                short id = tx.getShort(at + 8, LITTLE_ENDIAN);
                tx.putShort(at, id, LITTLE_ENDIAN);
                tx.putShort(at + 2, (short) Netif.RSP_OKAY, LITTLE_ENDIAN);
            }
            tx.putIntVolatile(8, txReq);
            dev.reapTx();
            int rxAt = RING_HDR + (i & (NetfrontDevice.RX_SLOTS - 1)) * 8;
            rx.putShort(rxAt, rx.getShort(rxAt, LITTLE_ENDIAN), LITTLE_ENDIAN);
            rx.putShort(rxAt + 2, (short) 0, LITTLE_ENDIAN);
            rx.putShort(rxAt + 4, (short) NetRxFlags.DATA_VALIDATED, LITTLE_ENDIAN);
            rx.putShort(rxAt + 6, (short) 60, LITTLE_ENDIAN);
            rx.putIntVolatile(8, i + 1);
            assertEquals(60, dev.receive(out, 0, out.capacity()));
            dev.refillRx();
        }
    }

    private static void rxResponse(AtomicBuffer r, int index, int id, int offset, int flags, int status) {
        int at = RING_HDR + index * 8;
        r.putShort(at, (short) id, LITTLE_ENDIAN);
        r.putShort(at + 2, (short) offset, LITTLE_ENDIAN);
        r.putShort(at + 4, (short) flags, LITTLE_ENDIAN);
        r.putShort(at + 6, (short) status, LITTLE_ENDIAN);
    }

    private void readGranted(int ref, byte[] into, int at, int length) {
        GrantMapping page = grants.map(GUEST, new int[] {ref}, 1, false);
        try {
            page.buffer().getBytes(0, into, at, length);
        } finally {
            grants.unmap(page);
        }
    }

    private void writeGranted(int ref, int offset, byte[] from, int at, int length) {
        GrantMapping page = grants.map(GUEST, new int[] {ref}, 1, true);
        try {
            page.buffer().putBytes(offset, from, at, length);
        } finally {
            grants.unmap(page);
        }
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
