package org.xnb.vnic.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/** Rounds of a group of lanes (steps, counters, mode switches, token bucket) allocate nothing. */
class LaneZeroAllocationTest {
    @Test
    void roundsAllocateNothing() {
        long[] clock = {0};
        NanoClock fake = () -> clock[0];
        try (CountersFile file = CountersFile.inMemory(256);
                LaneScheduler s = new LaneScheduler(ThreadingMode.INVOKER, file, PollingPolicy.DEFAULTS, fake, 0)) {
            Lane[] lanes = new Lane[4];
            for (int i = 0; i < lanes.length; i++) {
                int size = i * 20; // 0, 20, 40, 60 packets: some interrupt-, some poll-mode lanes
                Lane[] self = new Lane[1];
                LaneWork w = new LaneWork() {
                    long calls;

                    @Override
                    public int doWork() {
                        int n = ++calls % 3 == 0 ? 0 : size;
                        if (n > 0) {
                            self[0].counters().in(n, n * 1500L);
                        }
                        return n;
                    }

                    @Override
                    public boolean armNotifications() {
                        return true; // never block: keep every lane stepping
                    }

                    @Override
                    public void suppressNotifications() {
                    }
                };
                lanes[i] = s.open("vnic" + i, 0, w, LanePriority.values()[i % 3], i == 3 ? 1_000_000_000L : 0);
                self[0] = lanes[i];
            }
            LaneGroup g = s.invoker();
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            for (int i = 0; i < 50_000; i++) {
                clock[0] += 1_000;
                g.doWork();
            }
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 200_000; i++) {
                clock[0] += 1_000;
                g.doWork();
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertTrue(allocated < 8192, "200000 rounds allocated " + allocated + " bytes");
            assertTrue(lanes[3].counters().get(LaneCounter.THROTTLED) > 0, "the limited lane was throttled");
            assertTrue(lanes[2].counters().get(LaneCounter.POLLS) > 0);
            assertEquals(0, lanes[0].counters().get(LaneCounter.IPKTS));
        }
    }
}
