package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.netfront.Packets.packet;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.tx.TxCredit;
import org.xnb.netback.tx.TxEngine;

/**
 * The Tx engine with a {@code rate} on the harness: packets beyond the credit stay on the ring
 * (unconsumed, unanswered) until the window refills, at the fake clock's pace.
 */
class TxCreditEngineTest {
    private HarnessHost host;
    private MockNetfront front;
    private BackendQueue back;
    private final FakeClock clock = new FakeClock();
    private final TxCredit credit = new TxCredit(clock);
    private final List<Integer> delivered = new ArrayList<>();
    private TxEngine tx;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, clock);
        tx = new TxEngine(back.txRing, back.grants, front.domid, 0, new EventChannelNotifier(back.events, back.localPort),
                (address, length, metadata) -> delivered.add(length), back.multicast, new QueueListener() { }, credit);
    }

    @AfterEach
    void tearDown() {
        back.close();
        front.close();
        host.close();
    }

    @Test
    void packetsBeyondTheCreditWaitOnTheRingUntilTheWindowRefills() {
        long t0 = clock.nanoTime();
        credit.start(3000, 10_000); // 3000 bytes per 10 ms
        int[] ids = new int[10];
        for (int i = 0; i < 10; i++) {
            ids[i] = front.postPacket(packet(1000, i));
        }
        front.pushTx();

        assertEquals(3, tx.doWork());
        assertEquals(List.of(1000, 1000, 1000), delivered);
        assertEquals(3, back.txRing.requestConsumer(), "the 4th request stays unconsumed");
        List<int[]> rsp = front.txResponses();
        assertEquals(3, rsp.size());
        assertArrayEquals(new int[] {ids[0], Netif.RSP_OKAY}, rsp.get(0));
        assertTrue(credit.rateLimited());
        assertEquals(t0 + 10_000_000L, credit.retryAtNanos());

        // before the window ends: nothing moves, nothing is dropped
        clock.advanceNanos(9_999_999);
        assertEquals(0, tx.doWork());
        assertEquals(3, back.txRing.requestConsumer());

        clock.advanceTo(credit.retryAtNanos());
        assertEquals(3, tx.doWork());
        assertEquals(6, back.txRing.requestConsumer());
        clock.advanceTo(credit.retryAtNanos());
        assertEquals(3, tx.doWork());
        clock.advanceTo(credit.retryAtNanos());
        assertEquals(1, tx.doWork(), "the last packet, with credit to spare");
        assertFalse(credit.rateLimited());
        assertEquals(10, delivered.size());
        assertEquals(7, front.txResponses().size());
        assertEquals(t0 + 30_000_000L, clock.nanoTime());
        assertEquals(0, tx.counters().dropped());
    }

    @Test
    void throughputThroughTheEngineFollowsTheRateAndALiveChange() {
        credit.start(15_140, 10_000); // ten 1514-byte packets per 10 ms: 1.514 MB/s
        long sent = run(2.0);
        assertEquals(1_514_000 * 2, sent, 0.01 * 1_514_000 * 2 + TxCredit.MIN_BURST);

        credit.setRate(4_542, 10_000); // three per window
        long after = run(2.0);
        assertEquals(454_200 * 2, after, 0.01 * 454_200 * 2 + TxCredit.MIN_BURST);

        credit.setRate(TxCredit.UNLIMITED, 0);
        int waiting = front.tx.requestProducer() - back.txRing.requestConsumer(); // left by the limit
        assertTrue(waiting > 0);
        for (int i = 0; i < 100; i++) {
            front.postPacket(packet(1514, i));
        }
        front.pushTx();
        int before = delivered.size();
        while (tx.doWork() > 0) {
            front.skipTxResponses();
        }
        assertEquals(waiting + 100, delivered.size() - before, "all at once, the waiting ones first");
    }

    /** Keeps the ring full of 1514-byte packets for {@code seconds} of fake time; returns bytes delivered. */
    private long run(double seconds) {
        long end = clock.nanoTime() + (long) (seconds * 1e9);
        int start = delivered.size();
        for (int guard = 0; guard < 1_000_000; guard++) {
            while (front.tx.requestProducer() - back.txRing.requestConsumer() < 64) {
                front.postPacket(packet(1514, guard));
            }
            front.pushTx();
            tx.doWork();
            front.skipTxResponses();
            if (credit.rateLimited()) {
                if (credit.retryAtNanos() > end) {
                    return (delivered.size() - start) * 1514L;
                }
                clock.advanceTo(credit.retryAtNanos());
            }
        }
        throw new AssertionError("did not finish");
    }
}
