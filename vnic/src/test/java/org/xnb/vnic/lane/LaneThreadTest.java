package org.xnb.vnic.lane;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/** Lanes on real threads: blocking and waking through the doorbell, load, shared threads, pinning. */
class LaneThreadTest {
    private final CountersFile file = CountersFile.inMemory(1024);
    private LaneScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        file.close();
    }

    /** Waits for a condition: up to 20 s (a loaded machine), looking every 5 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5));
    }

    private Lane open(String link, QueueWork work, LanePriority p, int... cpus) {
        Lane lane = scheduler.open(link, 0, work, p, 0, cpus);
        work.counters = lane.counters();
        work.lane = lane;
        return lane;
    }

    /** Thread state letter from /proc (R running, S sleeping). */
    private static String state(int tid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("State:")) {
                return line.substring(6).trim().substring(0, 1);
            }
        }
        throw new AssertionError("no State in status of " + tid);
    }

    private static String cpusAllowed(int tid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(18).trim();
            }
        }
        throw new AssertionError("no Cpus_allowed_list in status of " + tid);
    }

    @Test
    void anIdleDedicatedLaneBlocksAndADoorbellWakesIt() throws Exception {
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        QueueWork work = new QueueWork();
        Lane lane = open("vnic0", work, LanePriority.MEDIUM);
        LaneThread thread = scheduler.threadOf(lane);
        soon().until(() -> lane.counters().get(LaneCounter.BLKCNT) == 1);
        long rounds = thread.group().rounds();
        soon().until(() -> state(thread.tid()).equals("S"));
        Thread.sleep(50);
        assertEquals(rounds, thread.group().rounds(), "a blocked lane's thread runs no rounds");
        for (int i = 1; i <= 5; i++) {
            assertTrue(work.offer(100));
            int expected = i;
            soon().until(() -> lane.counters().get(LaneCounter.IPKTS) == expected
                    && lane.counters().get(LaneCounter.BLKCNT) == expected + 1);
        }
        assertEquals(5, lane.counters().get(LaneCounter.INTRS));
        assertEquals(5, lane.counters().get(LaneCounter.UBLKCNT));
        assertEquals(500, lane.counters().get(LaneCounter.RBYTES));
        assertEquals(0, lane.counters().get(LaneCounter.MODE));
    }

    @Test
    void underLoadALaneGoesToPollModeAndIdleItReturnsToInterruptMode() throws Exception {
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        QueueWork work = new QueueWork();
        Lane lane = open("vnic0", work, LanePriority.MEDIUM);
        int sent = 0;
        for (int burst = 0; burst < 200; burst++) {
            for (int i = 0; i < 100; i++) {
                while (!work.offer(1500)) {
                    Thread.onSpinWait();
                }
                sent++;
            }
        }
        int total = sent;
        soon().until(() -> lane.counters().get(LaneCounter.IPKTS) == total);
        assertTrue(lane.counters().get(LaneCounter.TOPOLL) >= 1, "went to poll mode");
        assertTrue(lane.counters().get(LaneCounter.POLLS) > 0, "packets on the poll path");
        assertEquals(total, lane.counters().get(LaneCounter.INTRS) + lane.counters().get(LaneCounter.POLLS));
        long chains = lane.counters().get(LaneCounter.CH_LT10) + lane.counters().get(LaneCounter.CH_10_50)
                + lane.counters().get(LaneCounter.CH_GT50);
        assertTrue(chains > 0);
        soon().until(() -> lane.counters().get(LaneCounter.MODE) == 0
                && lane.counters().get(LaneCounter.TOINTR) >= 1);
        int tid = scheduler.threadOf(lane).tid();
        soon().until(() -> state(tid).equals("S"));
        assertEquals((long) total * 1500, lane.counters().get(LaneCounter.OBYTES));
    }

    @Test
    void aSharedThreadServesManyLanesAndEachCountsItsOwn() {
        scheduler = new LaneScheduler(ThreadingMode.SHARED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 1);
        List<QueueWork> works = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            QueueWork w = new QueueWork();
            works.add(w);
            lanes.add(open("vnic" + i, w, LanePriority.values()[i % 3]));
        }
        assertEquals(20, scheduler.threadOf(lanes.get(0)).group().size());
        for (int i = 0; i < 20; i++) {
            for (int k = 0; k <= i; k++) {
                assertTrue(works.get(i).offer(64 + i));
            }
        }
        for (int i = 0; i < 20; i++) {
            Lane lane = lanes.get(i);
            int n = i + 1;
            soon().until(() -> lane.counters().get(LaneCounter.IPKTS) == n);
            assertEquals((long) n * (64 + i), lane.counters().get(LaneCounter.RBYTES));
        }
        // all quiet again: every lane blocked, the one thread asleep
        for (Lane lane : lanes) {
            soon().until(() -> lane.counters().get(LaneCounter.MODE) == 0);
        }
        scheduler.close(lanes.get(3));
        assertEquals(19, scheduler.threadOf(lanes.get(0)).group().size());
    }

    @Test
    void aBusyLaneDoesNotStarveABlockedLaneOnTheSameThread() {
        scheduler = new LaneScheduler(ThreadingMode.SHARED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 1);
        LaneWork busy = new LaneWork() {
            @Override
            public int doWork() {
                return 1; // always something: the thread never idles
            }

            @Override
            public boolean armNotifications() {
                return true;
            }

            @Override
            public void suppressNotifications() {
            }
        };
        Lane hog = scheduler.open("hog", 0, busy, LanePriority.HIGH, 0);
        QueueWork quiet = new QueueWork();
        Lane lane = open("quiet", quiet, LanePriority.LOW);
        soon().until(() -> lane.counters().get(LaneCounter.BLKCNT) >= 1
                && hog.counters().get(LaneCounter.MODE) == 1);
        for (int i = 1; i <= 3; i++) {
            assertTrue(quiet.offer(100));
            int n = i;
            soon().until(() -> lane.counters().get(LaneCounter.IPKTS) == n);
        }
        assertTrue(lane.counters().get(LaneCounter.UBLKCNT) >= 1);
    }

    @Test
    void aLanesOwnWakeFdWakesItAndItsOnWakeTakesTheNotification() {
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        Doorbell eventChannel = new Doorbell(); // stands for an event-channel fd
        int[] wakes = {0};
        QueueWork work = new QueueWork() {
            @Override
            public int wakeFd() {
                return eventChannel.fd();
            }

            @Override
            public void onWake() {
                wakes[0]++;
                eventChannel.consume();
            }
        };
        try {
            Lane lane = open("evt", work, LanePriority.MEDIUM);
            soon().until(() -> lane.counters().get(LaneCounter.BLKCNT) == 1);
            for (int i = 1; i <= 4; i++) {
                assertTrue(work.queue.offer(60)); // no doorbell: only the "event channel" tells the lane
                eventChannel.ring();
                int n = i;
                soon().until(() -> lane.counters().get(LaneCounter.IPKTS) == n
                        && lane.counters().get(LaneCounter.BLKCNT) == n + 1);
            }
            assertEquals(4, lane.counters().get(LaneCounter.UBLKCNT));
            assertEquals(4, lane.counters().get(LaneCounter.INTRS));
        } finally {
            scheduler.close();
            scheduler = null;
            eventChannel.close();
        }
    }

    @Test
    void aThrottledLanesThreadSleepsUntilTheRefill() throws Exception {
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        QueueWork work = new QueueWork();
        Lane lane = scheduler.open("slow", 0, work, LanePriority.MEDIUM, 8_000L); // 1000 B/s, burst 128 KiB
        work.counters = lane.counters();
        work.lane = lane;
        for (int i = 0; i < 200; i++) {
            assertTrue(work.offer(1500)); // 300 KB: the burst goes at once, the rest at 1000 B/s
        }
        soon().until(() -> lane.counters().get(LaneCounter.THROTTLED) >= 1);
        long admitted = lane.counters().get(LaneCounter.RBYTES);
        assertTrue(admitted >= TokenBucket.MIN_BURST_BYTES && admitted < TokenBucket.MIN_BURST_BYTES + 64 * 1500,
                "admitted " + admitted);
        LaneThread thread = scheduler.threadOf(lane);
        soon().until(() -> state(thread.tid()).equals("S"));
        long rounds = thread.group().rounds();
        Thread.sleep(200);
        assertTrue(thread.group().rounds() - rounds < 10, "a throttled lane's thread sleeps, it does not poll: "
                + (thread.group().rounds() - rounds) + " rounds in 200 ms");
        assertEquals(1, lane.counters().get(LaneCounter.MODE));
    }

    @Test
    void aLaneWhoseWorkThrowsStopsAloneAndTheOthersCarryOn() {
        scheduler = new LaneScheduler(ThreadingMode.SHARED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 1);
        QueueWork bad = new QueueWork() {
            @Override
            public int doWork() {
                if (!queue.isEmpty()) {
                    throw new IllegalStateException("guest broke the ring");
                }
                return 0;
            }
        };
        Lane broken = open("bad", bad, LanePriority.HIGH);
        QueueWork good = new QueueWork();
        Lane fine = open("good", good, LanePriority.LOW);
        LaneThread thread = scheduler.threadOf(fine);
        soon().until(() -> broken.counters().get(LaneCounter.BLKCNT) == 1);
        assertTrue(bad.offer(1));
        soon().until(() -> broken.failure() != null);
        assertEquals("guest broke the ring", broken.failure().getMessage());
        assertTrue(good.offer(99));
        soon().until(() -> fine.counters().get(LaneCounter.IPKTS) == 1);
        assertTrue(thread.alive());
        assertEquals(1, thread.group().size());
        scheduler.close(broken); // frees its counters without asking the thread
        assertEquals(1, thread.group().size());
    }

    @Test
    void aLaneWhoseWakeFdBreaksStopsAloneAndTheOthersCarryOn() throws Exception {
        scheduler = new LaneScheduler(ThreadingMode.SHARED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 1);
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        java.lang.reflect.Method fdVal = pipe.source().getClass().getDeclaredMethod("getFDVal");
        fdVal.setAccessible(true);
        int readFd = (int) fdVal.invoke(pipe.source());
        QueueWork hup = new QueueWork() {
            @Override
            public int wakeFd() {
                return readFd;
            }
        };
        Lane broken = open("hup", hup, LanePriority.HIGH);
        QueueWork good = new QueueWork();
        Lane fine = open("good", good, LanePriority.LOW);
        soon().until(() -> broken.counters().get(LaneCounter.BLKCNT) == 1 && fine.counters().get(LaneCounter.BLKCNT) == 1);
        pipe.sink().close(); // the read end now reports POLLHUP: polling it again would spin
        soon().until(() -> broken.failure() != null);
        assertTrue(broken.failure().getMessage().contains("revents"), broken.failure().getMessage());
        assertTrue(good.offer(10));
        soon().until(() -> fine.counters().get(LaneCounter.IPKTS) == 1);
        assertEquals(1, scheduler.threadOf(fine).group().size());
        long waits = scheduler.threadOf(fine).group().waits();
        Thread.sleep(50);
        assertTrue(scheduler.threadOf(fine).group().waits() - waits < 5, "the thread does not spin on the broken fd");
        pipe.source().close();
    }

    @Test
    void aSharedThreadServesHighPriorityLanesFirstWithMoreBatches() {
        scheduler = new LaneScheduler(ThreadingMode.INVOKER, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        List<String> order = new ArrayList<>();
        LanePriority[] ps = {LanePriority.LOW, LanePriority.HIGH, LanePriority.MEDIUM, LanePriority.HIGH};
        for (int i = 0; i < ps.length; i++) {
            String name = ps[i] + "" + i;
            LaneWork w = new LaneWork() {
                @Override
                public int doWork() {
                    order.add(name);
                    return 1; // always busy
                }

                @Override
                public boolean armNotifications() {
                    return true;
                }

                @Override
                public void suppressNotifications() {
                }
            };
            scheduler.open("l" + i, 0, w, ps[i], 0);
        }
        LaneGroup g = scheduler.invoker();
        assertEquals(4 + 4 + 2 + 1, g.doWork());
        assertEquals(List.of("high1", "high1", "high1", "high1", "high3", "high3", "high3", "high3",
                "medium2", "medium2", "low0"), order);
    }

    @Test
    void aDedicatedLaneThreadIsPinnedToItsCpus() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        int last = CpuAffinity.currentThreadCpus()[CpuAffinity.currentThreadCpus().length - 1];
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        Lane lane = open("vnic0", new QueueWork(), LanePriority.HIGH, last);
        int tid = scheduler.threadOf(lane).tid();
        assertEquals(String.valueOf(last), cpusAllowed(tid));
        assertArrayEquals(new int[] {last}, CpuAffinity.cpusOf(tid));
        assertTrue(cpus >= 1);
    }

    @Test
    void aLaneWhoseCpusCannotBeUsedIsNotOpenedAndLeavesNothingBehind() {
        scheduler = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> scheduler.open("vnic0", 0, new QueueWork(), LanePriority.LOW, 0, 1023));
        assertTrue(e.getMessage().contains("sched_setaffinity"), e.getMessage());
        assertEquals(0, file.allocated(), "its counters were given back");
    }

    @Test
    void pinningTheCallingThreadReadsBack() throws Exception {
        int[] allowed = CpuAffinity.currentThreadCpus();
        int[][] seen = new int[2][];
        String[] proc = new String[1];
        Thread probe = new Thread(() -> {
            CpuAffinity.pinCurrentThread(allowed[0]);
            seen[0] = CpuAffinity.currentThreadCpus();
            try {
                proc[0] = cpusAllowed(CpuAffinity.currentTid());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            CpuAffinity.pinCurrentThread(allowed);
            seen[1] = CpuAffinity.currentThreadCpus();
        });
        probe.start();
        probe.join();
        assertArrayEquals(new int[] {allowed[0]}, seen[0]);
        assertEquals(String.valueOf(allowed[0]), proc[0]);
        assertArrayEquals(allowed, seen[1]);
    }

    @Test
    void aCpuOutOfRangeIsRefusedWithTheReason() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CpuAffinity.pinCurrentThread(1023));
        assertTrue(e.getMessage().contains("EINVAL") || e.getMessage().contains("errno 22"), e.getMessage());
    }
}
