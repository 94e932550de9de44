package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.FakeClock;
import org.xnb.netback.GuestRule;
import org.xnb.netback.port.MacAddress;
import org.xnb.netback.rx.RxEngine;

/**
 * REFERENCE.md section 6 end to end: netback as the daemon runs it, guest C breaking one rule (or
 * playing one advisory's attack) while guests A and B exchange numbered frames both ways through
 * the switch ({@link TwoGuestTraffic}). For each: C ends as the rule says (fatal: disabled alone,
 * the rule named once by the engine and once by the vif; dropped: every slot answered, an error
 * among them, and C's next frame goes through), A and B lose nothing, and once C's frontend
 * closes the backend holds nothing of it. The exact ring-level answers per rule are in
 * {@code TxGuestRulesTest} / {@code TxEngineTest} / {@code RxEngineTest}; this is their end-to-end
 * form with a concurrent second guest. XSA-332 is {@link VifEventStormTest}; XSA-270 is the
 * control ring, which we do not offer.
 */
class VifGuestRulesEndToEndTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;
    private static final int C = HarnessHost.GUEST_C;

    @TempDir
    Path dir;
    private VifRig rig;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
        if (rig != null) {
            rig.close();
        }
    }

    private GuestDriver[] threeGuests() throws Exception {
        rig = new VifRig(dir);
        rig.startService();
        return new GuestDriver[] {rig.addGuest(A, false), rig.addGuest(B, true), rig.addGuest(C, false)};
    }

    @ParameterizedTest
    @EnumSource(Misbehaviour.class)
    void theMisbehavingVifEndsAsTheRuleSaysWhileTwoOthersLoseNothing(Misbehaviour m) throws Exception {
        GuestDriver[] g = threeGuests();
        GuestDriver c = g[2];
        Vif vc = rig.vif(C);
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(g[0], g[1])) {
            await().atMost(VifRig.WAIT).until(() -> traffic.delivered() > 100);
            m.provoke(c);
            if (m.rule.fatal()) {
                RuleOutcome.assertDisabledAlone(rig, log, C, m.rule);
            } else {
                assertDroppedAndServing(c, vc, m.rule, traffic);
            }
            await().atMost(VifRig.WAIT).until(() -> traffic.delivered() > 1000);
            assertTrue(traffic.stopAndAssertNothingLost() > 1000);
        }
        assertEquals("4", rig.toolstack.backendState(A, 0));
        rig.disconnect(C);
        rig.assertNothingHeldFor(C);
    }

    /** Dropped, and C's next frame crosses the switch to both other guests. */
    private void assertDroppedAndServing(GuestDriver c, Vif vc, GuestRule rule, TwoGuestTraffic traffic) {
        RuleOutcome.assertDroppedAndServing(c, vc, rule, log);
        byte[] next = c.frame(MacAddress.BROADCAST, 333, 4242);
        c.send(next);
        await().atMost(VifRig.WAIT).until(() -> traffic.foreignFrames(0).stream().anyMatch(f -> Arrays.equals(f, next))
                && traffic.foreignFrames(1).stream().anyMatch(f -> Arrays.equals(f, next)));
    }

    // ---------------------------------------------------------------- advisories

    /** XSA-39 (garbage Tx ring) and XSA-155 (double fetch): fatal or answered, never more; nobody else notices. */
    @ParameterizedTest
    @EnumSource(RingAttack.class)
    void anAttackOnTheTxRingEndsFatalOrFullyAnsweredAndHurtsNobodyElse(RingAttack attack) throws Exception {
        GuestDriver[] g = threeGuests();
        GuestDriver c = g[2];
        Vif vc = rig.vif(C);
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(g[0], g[1])) {
            attack.attack(c);
            attack.assertFatalOrAnswered(c, vc, log);
            await().atMost(VifRig.WAIT).until(() -> traffic.delivered() > 1000);
            traffic.stopAndAssertNothingLost();
        }
        rig.disconnect(C);
        rig.assertNothingHeldFor(C);
    }

    /**
     * XSA-423 (headers split across slots), XSA-432 (most slots, first slot shorter than the
     * header copy), XSA-448 (zero-length fragments after the first slot): well-formed if odd
     * packets, answered OKAY and delivered intact to the other guests while they exchange traffic.
     */
    @Test
    void xsa423Xsa432Xsa448OddButLegalPacketsArriveIntact() throws Exception {
        GuestDriver[] g = threeGuests();
        GuestDriver c = g[2];
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(g[0], g[1])) {
            byte[] split = c.frame(MacAddress.BROADCAST, 120, 423);
            c.front.postPacket(split, 0, new int[] {14, 9, 11, 86}, 4082, 4087, 0, 10);
            int[] sizes = new int[19];
            sizes[0] = 14;
            int total = 14;
            for (int i = 1; i < 19; i++) {
                sizes[i] = i == 1 ? 3 : 100 + i;
                total += sizes[i];
            }
            byte[] most = c.frame(MacAddress.BROADCAST, total, 432);
            c.front.postPacket(most, 0, sizes);
            byte[] zeros = c.frame(MacAddress.BROADCAST, 200, 448);
            c.front.postPacket(zeros, 0, new int[] {100, 0, 100, 0});
            c.front.pushTx();
            c.front.events.notify(c.front.port);
            await().atMost(VifRig.WAIT).until(() -> c.front.tx.responseProducer() == 4 + 19 + 4);
            assertTrue(c.front.txResponses().stream().allMatch(r -> r[1] == Netif.RSP_OKAY));
            for (byte[] sent : List.of(split, most, zeros)) {
                for (int i = 0; i < 2; i++) {
                    int guest = i;
                    await().atMost(VifRig.WAIT).until(() -> traffic.foreignFrames(guest).stream()
                            .anyMatch(f -> Arrays.equals(f, sent)));
                }
            }
            assertFalse(rig.vif(C).disabled());
            traffic.stopAndAssertNothingLost();
        }
        rig.disconnect(C);
        rig.assertNothingHeldFor(C);
    }

    /**
     * XSA-392 and the Rx rules: C stops consuming its Rx ring while A broadcasts (a quarter of A's
     * frames) to it. Its queue stays within the bound (drops counted), queued frames expire after
     * 10 s, after 60 s without buffers it is stalled (carrier off), and it recovers when it posts
     * buffers again; A and B lose nothing meanwhile. Time is a {@link FakeClock}.
     */
    @Test
    void xsa392AGuestThatStopsConsumingRxCostsBoundedMemoryStallsAndRecovers() throws Exception {
        FakeClock clock = new FakeClock();
        rig = new VifRig(dir);
        rig.startService(clock, RateHook.NONE);
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        GuestDriver c = rig.addGuest(C, false);
        Vif vc = rig.vif(C);
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(a, b, true)) {
            // C's 200 posted buffers fill, then its queue up to the bound, then drops
            await().atMost(VifRig.WAIT).until(() -> vc.rx().counters().droppedQueueFull > 0);
            // Linux's bound: rx_queue_max, which the frame that crosses it may exceed once
            long bound = RxEngine.RX_QUEUE_MAX_BYTES + RxEngine.MAX_FRAME_BYTES;
            assertTrue(vc.rx().queuedBytes() <= bound, "queued " + vc.rx().queuedBytes());
            assertEquals(GuestDriver.RX_POSTED, vc.rx().counters().packets);
            // the clock is every vif's: A and B drain first, or the jump would expire their frames too
            traffic.pauseAndDrain();
            clock.advanceSeconds(11);
            await().atMost(VifRig.WAIT).until(() -> vc.rx().counters().droppedExpired > 0);
            clock.advanceSeconds(50); // 61 s without Rx buffers
            // as in Linux the stall is seen when the vif's thread runs; A is quiet, so C's own kick wakes it
            c.front.events.notify(c.front.port);
            await().atMost(VifRig.WAIT).until(() -> vc.rx().stalled() && !vc.rx().carrier());
            traffic.resume();
            assertEquals(1, vc.rx().counters().stalls);
            assertTrue(vc.rx().queuedBytes() <= bound);
            // C consumes again: ready, carrier on, frames flow to it
            long before = vc.rx().counters().packets;
            await().atMost(VifRig.WAIT).until(() -> {
                c.receive();
                return !vc.rx().stalled() && vc.rx().carrier() && vc.rx().counters().packets > before;
            });
            assertFalse(vc.disabled());
            assertTrue(traffic.stopAndAssertNothingLost() > 0);
        }
        rig.disconnect(C);
        rig.assertNothingHeldFor(C);
    }
}
