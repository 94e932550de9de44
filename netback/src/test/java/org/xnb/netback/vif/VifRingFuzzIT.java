package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.GuestRule;
import org.xnb.netback.xenbus.ScriptedNetfront;
import org.xnb.netback.xenbus.XenbusState;

/**
 * Property: whatever a netfront writes on its rings, indices, event thresholds or (at connect) its
 * xenstore keys, netback neither fails nor hangs nor leaks, and never disturbs another guest.
 *
 * <p>netback runs as the daemon does ({@link VifRig}); guests A and B exchange numbered frames both
 * ways for the whole run ({@link TwoGuestTraffic}, a quarter of A's frames broadcast so that the
 * fuzzed guest's Rx side has work). Guest C is a {@link FuzzingNetfront}; each case connects it
 * (one case in 16 with mutated keys: never-granted or garbage ring refs, ports not offered, garbage
 * feature values, too many queues, no {@code request-rx-copy}, the same page for both rings, junk
 * keys), plays 1-40 random rounds, and disconnects it. After every round the Tx ring is either fully
 * answered or the vif disabled (never stuck); after every case the backend holds nothing of C (no
 * pins, only A's and B's ports and ring mappings), A and B are still connected, not disabled, and
 * still exchanging frames, none lost, out of order or corrupted; a disabled vif logged exactly one
 * "disabled" line.
 *
 * <p>Size: {@code -Dxnb.fuzz.requests=N} (default 1 000 000 requests: Tx slots, Rx requests and raw
 * index writes); {@code -Dxnb.fuzz.seed=S} replays a run (the seed is printed).
 */
class VifRingFuzzIT {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;
    private static final int C = HarnessHost.GUEST_C;
    private static final long REQUESTS = Long.getLong("xnb.fuzz.requests", 1_000_000L);
    private static final long SEED = Long.getLong("xnb.fuzz.seed", System.nanoTime());
    private static final int MAX_ROUNDS = 40;
    private static final long ROUND_TIMEOUT_NS = 10_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aMisbehavingNetfrontNeverHurtsTheBackendOrAnotherGuest() throws Exception {
        System.out.println("VifRingFuzzIT: seed " + SEED + " (-Dxnb.fuzz.seed=" + SEED + "), " + REQUESTS + " requests");
        Logger netback = Logger.getLogger("org.xnb.netback");
        boolean parents = netback.getUseParentHandlers();
        AtomicLong disabledLines = new AtomicLong();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains(": disabled (")) {
                    disabledLines.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        netback.addHandler(counter);
        netback.setUseParentHandlers(false); // thousands of expected fatal-error lines
        Map<GuestRule, Long> fatal = new EnumMap<>(GuestRule.class);
        long cases = 0;
        long refused = 0;
        long rounds = 0;
        long exchanged;
        long made;
        long t0 = System.nanoTime();
        try (VifRig rig = new VifRig(dir)) {
            rig.startService();
            GuestDriver a = rig.addGuest(A, false);
            GuestDriver b = rig.addGuest(B, true);
            GuestDriver c = rig.addGuest(C, true);
            Vif va = rig.vif(A);
            Vif vb = rig.vif(B);
            disconnect(rig, c);
            Random random = new Random(SEED);
            FuzzingNetfront fuzz = new FuzzingNetfront(c, random);
            try (TwoGuestTraffic traffic = new TwoGuestTraffic(a, b, true, 200_000)) {
                long lastReport = System.nanoTime();
                while (fuzz.requests < REQUESTS) {
                    cases++;
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.out.printf("VifRingFuzzIT: %d cases, %d rounds, %d requests, %.0f s%n", cases, rounds,
                                fuzz.requests, (lastReport - t0) / 1e9);
                    }
                    boolean split = random.nextBoolean();
                    String mutation = random.nextInt(16) == 0 ? "" : null;
                    Map<String, String> keys = keys(c, split);
                    if (mutation != null) {
                        mutation = mutateKeys(keys, c, split, random);
                    }
                    fuzz.reset();
                    c.state(XenbusState.INITIALISING);
                    fast().until(() -> "2".equals(rig.toolstack.backendState(C, 0)));
                    c.xenbus.connect(keys);
                    String context = "case " + cases + " (seed " + SEED + ", keys " + (mutation == null ? "ok" : mutation) + ")";
                    fast().until(() -> rig.vif(C) != null && "4".equals(rig.toolstack.backendState(C, 0))
                            || "5".equals(rig.toolstack.backendState(C, 0)));
                    Vif vc = rig.vif(C);
                    if (vc == null) {
                        refused++;
                        assertTrue(mutation != null, context + ": a correct connect was refused");
                    } else {
                        // both rings on one page: the Rx engine writes the indices the Tx check reads
                        boolean onePage = keys.get("rx-ring-ref").equals(keys.get("tx-ring-ref"));
                        int n = 1 + random.nextInt(MAX_ROUNDS);
                        for (int r = 0; r < n && !vc.disabled(); r++) {
                            fuzz.round();
                            rounds++;
                            awaitAnsweredOrDisabled(fuzz, vc, context + " round " + r, onePage);
                        }
                        if (vc.disabled()) {
                            assertNotNull(vc.fatalError(), context + ": vif disabled by an exception, not by a rule");
                            fatal.merge(vc.fatalError().rule(), 1L, Long::sum);
                        }
                    }
                    long before = traffic.delivered();
                    disconnect(rig, c);
                    rig.assertNothingHeldFor(C);
                    traffic.assertHealthy();
                    assertSame(va, rig.vif(A), context);
                    assertSame(vb, rig.vif(B), context);
                    assertFalse(va.disabled() || vb.disabled(), context);
                    fast().until(() -> {
                        traffic.assertHealthy();
                        return traffic.delivered() > before;
                    });
                }
                exchanged = traffic.stopAndAssertNothingLost();
                made = fuzz.requests;
            }
            assertEquals("4", rig.toolstack.backendState(A, 0));
            assertEquals("4", rig.toolstack.backendState(B, 0));
        } finally {
            netback.removeHandler(counter);
            netback.setUseParentHandlers(parents);
        }
        long fatalCases = fatal.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(fatalCases, disabledLines.get(), "one 'disabled' line per disabled vif");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("VifRingFuzzIT: %d cases (%d connects refused), %d rounds, requests %d in %.1f s = %.0f requests/s;"
                + " disabled by rule %s; A<->B frames exchanged meanwhile: %d%n", cases, refused, rounds, made, seconds,
                made / seconds, fatal, exchanged);
    }

    /** Awaitility polling every millisecond from the start (its default first look is after 100 ms). */
    private static org.awaitility.core.ConditionFactory fast() {
        return await().atMost(VifRig.WAIT).pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1));
    }

    /** Every Tx request published gets its response, or the vif is disabled: never stuck. */
    private static void awaitAnsweredOrDisabled(FuzzingNetfront fuzz, Vif vc, String context, boolean onePage) {
        long deadline = System.nanoTime() + (onePage ? ROUND_TIMEOUT_NS / 50 : ROUND_TIMEOUT_NS);
        for (int spin = 0; !vc.disabled() && !fuzz.txAnswered(); spin++) {
            if (System.nanoTime() > deadline) {
                if (onePage) {
                    return; // no promise to check: the guest overlaid its rings
                }
                throw new AssertionError(context + ": Tx ring neither answered nor disabled (req_prod "
                        + fuzz.publishedTx() + ", tx slots consumed " + vc.tx().counters().slots + ")");
            }
            if (spin < 200) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** The frontend closes; the backend disconnects and says Closed (6). */
    private static void disconnect(VifRig rig, GuestDriver c) {
        rig.disconnect(C);
        fast().until(() -> "6".equals(rig.toolstack.backendState(C, 0)));
    }

    private static Map<String, String> keys(GuestDriver c, boolean split) {
        Map<String, String> keys = new LinkedHashMap<>(
                ScriptedNetfront.linux61Keys(c.front.txRingRef, c.front.rxRingRef, c.front.port, c.rxPort, split));
        if (split) {
            keys.put("event-channel", null); // a value null removes the key (left from a shared case)
        } else {
            keys.put("event-channel-tx", null);
            keys.put("event-channel-rx", null);
        }
        return keys;
    }

    /** Changes one thing a frontend could get wrong; returns what, for the failure message. */
    private static String mutateKeys(Map<String, String> keys, GuestDriver c, boolean split, Random random) {
        String[] garbage = {"", "abc", "-1", "4294967296", "0x10", " 12", Integer.toString(random.nextInt()), "1 2"};
        String junk = garbage[random.nextInt(garbage.length)];
        String port = split ? "event-channel-tx" : "event-channel";
        switch (random.nextInt(9)) {
            case 0 -> keys.put("tx-ring-ref", Integer.toString(HarnessHost.GRANTS - 1)); // never granted
            case 1 -> keys.put("rx-ring-ref", junk);
            case 2 -> keys.put(port, Integer.toString(HarnessHost.PORTS - 1)); // not offered to dom0
            case 3 -> keys.put(port, junk);
            case 4 -> {
                keys.put("feature-sg", junk);
                keys.put("feature-gso-tcpv4", junk);
            }
            case 5 -> keys.put("multi-queue-num-queues", Integer.toString(random.nextInt(10)));
            case 6 -> keys.put("request-rx-copy", random.nextBoolean() ? null : junk);
            case 7 -> keys.put("rx-ring-ref", Integer.toString(c.front.txRingRef)); // one page, two rings
            default -> keys.put("junk-" + Integer.toHexString(random.nextInt()), junk);
        }
        return keys.toString();
    }
}
