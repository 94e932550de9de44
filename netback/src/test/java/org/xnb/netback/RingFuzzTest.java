package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.ring.RingProtocolException;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;

/**
 * XSA-39 and friends: random and mutated ring contents never make an engine throw; a Tx engine
 * either stops with a fatal report or answers every slot it consumed, and never hands out a
 * frame longer than a Tx request can describe.
 */
class RingFuzzTest {
    private HarnessHost host;
    private MockNetfront front;
    private AtomicBuffer memory;
    private int txBase;
    private int rxBase;
    private final TxRequest request = new TxRequest();
    private int fatalRuns;
    private int answeredRuns;
    private long framesSeen;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        memory = front.memory;
        txBase = HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME);
        rxBase = HarnessGuest.frameOffset(MockNetfront.RX_RING_FRAME);
    }

    @AfterEach
    void tearDown() {
        front.close();
        host.close();
    }

    @Test
    void xsa39GarbageTxRingNeverThrows() {
        qt().withExamples(150).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            for (int i = 0; i < XenPage.SIZE; i += 8) {
                memory.putLong(txBase + i, r.nextLong());
            }
            if (r.nextBoolean()) { // plausible indices half of the time, so parsing gets exercised
                memory.putInt(txBase + SharedRingDescriptor.RSP_PROD_OFFSET, 0);
                memory.putInt(txBase + SharedRingDescriptor.REQ_PROD_OFFSET, r.nextInt(Netif.TX_RING_SIZE + 1));
            }
            runTx();
        });
    }

    @Test
    void mutatedWellFormedTxStreamsEndFatalOrAnswered() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 12)).checkAssert((seed, mutations) -> {
            Random r = new Random(seed);
            int n = writeValidStream(r);
            for (int m = 0; m < mutations; m++) {
                int slot = r.nextInt(Math.max(1, n));
                int at = txBase + SharedRingDescriptor.ENTRIES_OFFSET + slot * Netif.TX_SLOT_BYTES + r.nextInt(12);
                memory.putByte(at, (byte) r.nextInt());
            }
            memory.putInt(txBase + SharedRingDescriptor.RSP_PROD_OFFSET, 0);
            memory.putIntVolatile(txBase + SharedRingDescriptor.REQ_PROD_OFFSET, n);
            runTx();
        });
        // the generator must reach both outcomes, and real frames, or it proves nothing
        assertTrue(fatalRuns > 0, "no mutated stream was fatal");
        assertTrue(answeredRuns > 0, "no mutated stream was answered");
        assertTrue(framesSeen > 100, "frames delivered: " + framesSeen);
    }

    @Test
    void garbageRxRingNeverThrows() {
        UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(20_000, 64));
        FrameMetadata meta = new FrameMetadata();
        qt().withExamples(100).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            for (int i = 0; i < XenPage.SIZE; i += 8) {
                memory.putLong(rxBase + i, r.nextLong());
            }
            memory.putInt(rxBase + SharedRingDescriptor.RSP_PROD_OFFSET, 0);
            if (r.nextBoolean()) {
                memory.putInt(rxBase + SharedRingDescriptor.REQ_PROD_OFFSET, r.nextInt(Netif.RX_RING_SIZE + 1));
            }
            memory.putInt(txBase + SharedRingDescriptor.RSP_PROD_OFFSET, 0);
            memory.putInt(txBase + SharedRingDescriptor.REQ_PROD_OFFSET, 0);
            BackendQueue back;
            try {
                back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, new FakeClock());
            } catch (RingProtocolException refused) {
                assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A));
                return; // refused at attach, as Linux's xenvif_map_frontend_data_rings does
            }
            try {
                for (int i = 0; i < 20; i++) {
                    meta.reset();
                    if (r.nextInt(4) == 0) {
                        meta.gso(1 + r.nextInt(2), 1 + r.nextInt(9000));
                    }
                    back.rx.offer(frame.addressOffset(), 1 + r.nextInt(20_000), meta);
                    back.rx.doWork();
                }
                long delivered = back.rx.counters().packets + back.rx.counters().copyErrors;
                assertTrue(delivered <= back.rx.counters().enqueued);
            } finally {
                back.close();
            }
        });
    }

    /** Packets with extras and fragments, using granted pages. Returns the slots written. */
    private int writeValidStream(Random r) {
        int slot = 0;
        int id = 0;
        while (slot < Netif.TX_RING_SIZE - 24) {
            int frags = r.nextInt(4);
            boolean gso = r.nextInt(4) == 0;
            int[] sizes = new int[frags + 1];
            int total = 0;
            for (int i = 0; i <= frags; i++) {
                sizes[i] = (i == 0 ? 14 : 0) + r.nextInt(1500);
                total += sizes[i];
            }
            int flags = (frags > 0 ? NetTxFlags.MORE_DATA : 0) | (gso ? NetTxFlags.EXTRA_INFO : 0);
            put(slot++, front.txRef(r.nextInt(MockNetfront.TX_DATA_FRAMES)), r.nextInt(2000), flags, id++, total);
            if (gso) {
                ExtraInfo.writeGso(memory, entry(slot++), 0, 1 + r.nextInt(9000), 1 + r.nextInt(2), 0);
            }
            for (int i = 1; i <= frags; i++) {
                put(slot++, front.txRef(r.nextInt(MockNetfront.TX_DATA_FRAMES)), r.nextInt(2000),
                        i < frags ? NetTxFlags.MORE_DATA : 0, id++, sizes[i]);
            }
        }
        return slot;
    }

    private void put(int slot, int gref, int offset, int flags, int id, int size) {
        request.set(gref, offset, flags, id, size).writeTo(memory, entry(slot));
    }

    private int entry(int slot) {
        return txBase + SharedRingDescriptor.entryOffset(slot, Netif.TX_RING_SIZE, Netif.TX_SLOT_BYTES);
    }

    /** Attaches a Tx engine to whatever the page holds and runs it; checks the invariants. */
    private void runTx() {
        BackendQueue back;
        try {
            back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, new FakeClock());
        } catch (RingProtocolException refused) {
            assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A));
            return; // the handshake refuses a ring whose req_prod is more than a ring ahead (Linux -EIO)
        }
        try {
            int start = back.txRing.requestConsumer();
            back.sink = (address, length, m) -> {
                assertTrue(length >= 14 && length <= Netif.MAX_TX_SIZE);
                framesSeen++;
            };
            for (int i = 0; i < 4; i++) {
                back.tx.doWork();
            }
            int consumed = back.txRing.requestConsumer() - start;
            int answered = back.txRing.responseProducer() - start;
            assertTrue(Integer.compareUnsigned(answered, consumed) <= 0);
            assertTrue(Integer.compareUnsigned(consumed, Netif.TX_RING_SIZE) <= 0);
            if (back.tx.stopped()) {
                fatalRuns++;
                assertEquals(1, back.fatals.size());
                assertTrue(back.fatals.get(0).rule().fatal());
            } else {
                answeredRuns++;
                assertEquals(consumed, answered, "every consumed slot is answered");
                assertEquals(answered, memory.getIntVolatile(txBase + SharedRingDescriptor.RSP_PROD_OFFSET) - start,
                        "and published");
            }
        } finally {
            back.close();
        }
        assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A));
    }

}
