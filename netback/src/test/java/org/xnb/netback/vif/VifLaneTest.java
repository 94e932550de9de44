package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.Clock;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LaneMode;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.CountersFileReader;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;

/**
 * Each vif is a vnic lane: under a stream of frames it goes to poll mode, once idle it goes back
 * to interrupt mode and its thread sleeps in ppoll (the kernel says so), and the counters file
 * (what {@code xnb dlstat} reads) holds exactly the frames the guest sent and received.
 */
class VifLaneTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;

    @TempDir
    Path dir;
    private VifRig rig;
    private CountersFile counters;
    private LaneScheduler lanes;

    @AfterEach
    void tearDown() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (lanes != null) {
            lanes.close();
        }
        if (counters != null) {
            counters.close();
        }
    }

    private void start(ThreadingMode mode, int sharedThreads) throws IOException {
        counters = CountersFile.create(dir.resolve("counters"), 64 * LaneCounter.count());
        lanes = new LaneScheduler(mode, counters, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, sharedThreads);
        rig = new VifRig(dir);
        rig.startService(Clock.SYSTEM, RateHook.NONE, lanes);
    }

    @Test
    void aBusyVifPollsAnIdleOneBlocksAndTheCountersFileHoldsItsFrames() throws Exception {
        start(ThreadingMode.DEDICATED, 0);
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, true);
        Vif va = rig.vif(A);
        Lane lane = va.lane();
        assertEquals("vif" + A + ".0", lane.link());
        LaneThread thread = lanes.threadOf(lane);
        assertSame(thread.thread(), va.thread());
        assertEquals("lane-vif" + A + ".0/0", va.thread().getName());
        // idle after connecting: interrupt mode, blocked, the thread asleep in the kernel
        awaitAsleep(va, thread);

        long sentByA;
        long sentByB;
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(a, b)) {
            await().atMost(VifRig.WAIT).until(() -> lane.counters().get(LaneCounter.TOPOLL) > 0);
            await().atMost(VifRig.WAIT).until(() -> traffic.delivered() > 2000);
            traffic.stopAndAssertNothingLost();
            sentByA = traffic.sent(0);
            sentByB = traffic.sent(1);
        }
        // idle again: back to interrupt mode and asleep, and it stays asleep
        await().atMost(VifRig.WAIT).until(() -> lane.counters().get(LaneCounter.TOINTR) > 0);
        awaitAsleep(va, thread);
        long blocks = lane.counters().get(LaneCounter.BLKCNT);
        long wakeups = va.wakeups();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> lane.counters().get(LaneCounter.BLKCNT) == blocks && va.wakeups() == wakeups);
        assertEquals(lane.counters().get(LaneCounter.BLKCNT), lane.counters().get(LaneCounter.UBLKCNT) + 1);
        assertTrue(lane.counters().get(LaneCounter.POLLS) > 0, "packets taken in poll mode");
        assertTrue(lane.counters().get(LaneCounter.INTRS) > 0, "packets taken in interrupt mode");

        // what dlstat reads, from another mapping of the file
        try (CountersFileReader reader = CountersFileReader.open(dir.resolve("counters"))) {
            LaneStats s = laneOf(reader, "vif" + A + ".0");
            assertEquals(sentByA, s.get(LaneCounter.IPKTS));
            assertEquals(va.tx().counters().packets, s.get(LaneCounter.IPKTS));
            assertEquals(va.tx().counters().bytes, s.get(LaneCounter.RBYTES));
            assertEquals(sentByB, s.get(LaneCounter.OPKTS));
            assertEquals(va.rx().counters().packets, s.get(LaneCounter.OPKTS));
            assertEquals(va.rx().counters().bytes, s.get(LaneCounter.OBYTES));
            assertEquals(0, s.get(LaneCounter.SDROPS));
            assertEquals(s.get(LaneCounter.IPKTS) + s.get(LaneCounter.OPKTS),
                    s.get(LaneCounter.INTRS) + s.get(LaneCounter.POLLS), "every packet came by one path or the other");
            assertEquals("interrupt", s.mode());
            LaneStats sb = laneOf(reader, "vif" + B + ".0");
            assertEquals(sentByB, sb.get(LaneCounter.IPKTS));
            assertEquals(sentByA, sb.get(LaneCounter.OPKTS));
        }
        // the lane leaves the file with the vif
        rig.disconnect(A);
        try (CountersFileReader reader = CountersFileReader.open(dir.resolve("counters"))) {
            assertTrue(reader.lanes().stream().noneMatch(s -> s.link().equals("vif" + A + ".0")));
        }
    }

    @Test
    void sharedThreadsServeEveryVifAndTrafficFlows() throws Exception {
        start(ThreadingMode.SHARED, 1);
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        assertSame(rig.vif(A).thread(), rig.vif(B).thread());
        assertEquals("lanes-shared-0", rig.vif(A).thread().getName());
        try (TwoGuestTraffic traffic = new TwoGuestTraffic(a, b)) {
            await().atMost(VifRig.WAIT).until(() -> traffic.delivered() > 1000);
            traffic.stopAndAssertNothingLost();
            assertEquals(traffic.sent(0), rig.vif(A).lane().counters().get(LaneCounter.IPKTS));
            assertEquals(traffic.sent(1), rig.vif(A).lane().counters().get(LaneCounter.OPKTS));
        }
        rig.disconnect(A);
        rig.assertNothingHeldFor(A);
        assertTrue(rig.vif(B).thread().isAlive(), "the shared thread serves B still");
    }

    private static LaneStats laneOf(CountersFileReader reader, String link) {
        LaneStats found = null;
        for (LaneStats s : reader.lanes()) {
            if (s.link().equals(link)) {
                found = s;
            }
        }
        assertNotNull(found, link + " not in the counters file");
        return found;
    }

    /** Interrupt mode, blocked, and the kernel has the lane's thread sleeping (state S). */
    private static void awaitAsleep(Vif vif, LaneThread thread) {
        await().atMost(VifRig.WAIT).until(() -> vif.lane().counters().get(LaneCounter.MODE) == LaneMode.INTERRUPT.ordinal()
                && vif.lane().counters().get(LaneCounter.BLKCNT) == vif.lane().counters().get(LaneCounter.UBLKCNT) + 1
                && kernelState(thread.tid()) == 'S');
    }

    private static char kernelState(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
