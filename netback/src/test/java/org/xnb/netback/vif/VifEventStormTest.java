package org.xnb.netback.vif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;

/**
 * XSA-332: a guest notifying its event channel in a tight loop without queueing anything. Its
 * events are counted as spurious and its port is unmasked later and later (Linux's lateeoi), so
 * its vif thread wakes a bounded number of times however many notifications it sends, while two
 * other guests keep exchanging traffic without losing a frame; once it behaves, it is served.
 */
class VifEventStormTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;
    private static final int C = HarnessHost.GUEST_C;
    /** How long the storm lasts. */
    private static final long STORM_NS = 1_500_000_000L;

    @TempDir
    Path dir;
    private VifRig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new VifRig(dir);
        rig.startService();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @ParameterizedTest(name = "split event channels: {0}")
    @ValueSource(booleans = {false, true})
    void aGuestHammeringNotifyWithoutRequestsCostsBoundedWakeUps(boolean split) throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        GuestDriver c = rig.addGuest(C, split);
        Vif vc = rig.vif(C);
        long wakeupsBefore = vc.wakeups();
        long notifiesBefore = notificationsSent(c, split);
        long notifies = 0;
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(a, b)) {
            long end = System.nanoTime() + STORM_NS;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    c.front.events.notify(c.front.port);
                    if (split) {
                        c.front.events.notify(c.rxPort);
                    }
                }
                notifies += split ? 2000 : 1000;
            }
            long wakeups = vc.wakeups() - wakeupsBefore;
            // per port: delays 1, 2, 4 ... 512 ms, then 1 s: about 11 unmasks in 1.5 s, each
            // delivering one event; without the guard every notification could wake the thread
            int ports = split ? 2 : 1;
            assertTrue(wakeups <= 20 * ports, "vif thread woke " + wakeups + " times for " + notifies + " notifications");
            assertTrue(notifies >= 1000 * wakeups, notifies + " notifications, " + wakeups + " wake-ups");
            assertTrue(vc.spuriousEvents() >= 8L * ports, "spurious events counted: " + vc.spuriousEvents());
            assertTrue(vc.deferredUnmasks() >= 7L * ports, "unmasks deferred: " + vc.deferredUnmasks());
            assertEquals(notifies, notificationsSent(c, split) - notifiesBefore);
            assertTrue(traffic.stopAndAssertNothingLost() > 0);
        }
        // the guest behaves again: its frame is taken once the held unmask delivers the event
        // (at most a second later), and it is not disabled
        byte[] sent = c.frame(a.mac, 300, 1);
        c.send(sent);
        assertArrayEquals(sent, VifEndToEndTest.awaitFrames(a, 1).get(0).bytes());
        assertTrue(!vc.disabled());
        rig.disconnect(C);
        rig.assertNothingHeldFor(C);
    }

    private long notificationsSent(GuestDriver c, boolean split) {
        return rig.host.account.notificationsSent(C, c.front.port)
                + (split ? rig.host.account.notificationsSent(C, c.rxPort) : 0);
    }
}
