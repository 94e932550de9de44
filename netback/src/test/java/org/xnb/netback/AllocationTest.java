package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.netfront.Packets.packet;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;

/**
 * The hot path allocates nothing per packet: guest A transmits, its Tx engine hands each frame to
 * guest B's Rx engine, which fills B's buffers; in steady state the thread's allocation counter
 * does not move. The mock guests on the same thread are allocation-free too.
 */
class AllocationTest {
    private static final int BATCH = 32;
    private static final int SLOTS = 3;

    private HarnessHost host;
    private MockNetfront a;
    private MockNetfront b;
    private BackendQueue backA;
    private BackendQueue backB;
    private final int[] refs = new int[SLOTS];

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        a = new MockNetfront(host, HarnessHost.GUEST_A);
        b = new MockNetfront(host, HarnessHost.GUEST_B);
        backA = new BackendQueue(host, a, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        backB = new BackendQueue(host, b, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        backA.sink = backB.rx;
        byte[] data = packet(4096, 1);
        for (int i = 0; i < SLOTS; i++) {
            int f = a.takeTxFrame();
            a.memory.putBytes(MockNetfront.txFrameOffset(f), data);
            refs[i] = a.txRef(f);
        }
    }

    @AfterEach
    void tearDown() {
        backA.close();
        backB.close();
        a.close();
        b.close();
        host.close();
    }

    /** BATCH packets of 64 bytes and BATCH of 3 slots (5000 bytes) through A's Tx into B's Rx. */
    private void round() {
        for (int i = 0; i < BATCH; i++) {
            a.postTx(refs[0], 0, 0, i, 64);
            a.postTx(refs[0], 100, NetTxFlags.MORE_DATA, i, 5000);
            a.postTx(refs[1], 0, NetTxFlags.MORE_DATA, i, 2000);
            a.postTx(refs[2], 0, 0, i, 1000);
        }
        a.pushTx();
        b.postRx(BATCH * 3);
        backA.tx.doWork();
        backB.rx.doWork();
        a.skipTxResponses();
        b.skipRxResponses();
    }

    @Test
    void steadyStateTxToRxAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++) { // warm up: JIT, lazily mapped harness state
            round();
        }
        long packetsBefore = backB.rx.counters().packets;
        long before = mx.getCurrentThreadAllocatedBytes();
        int rounds = 10_000 / (2 * BATCH) + 1;
        for (int i = 0; i < rounds; i++) {
            round();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        long packets = backB.rx.counters().packets - packetsBefore;

        assertEquals(rounds * 2L * BATCH, packets, "every packet crossed");
        assertEquals(0, backB.rx.counters().droppedQueueFull);
        assertTrue(allocated < packets / 10, allocated + " bytes allocated for " + packets + " packets");
    }
}
