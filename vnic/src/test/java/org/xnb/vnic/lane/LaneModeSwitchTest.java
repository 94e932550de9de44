package org.xnb.vnic.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/** The interrupt/poll decisions of {@link Lane#step}, driven by a fake clock and scripted batches. */
class LaneModeSwitchTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private final CountersFile file = CountersFile.inMemory(64);
    private final ScriptedWork work = new ScriptedWork();
    private final Lane lane = newLane(PollingPolicy.DEFAULTS);
    private long now = 1_000 * MS;

    private Lane newLane(PollingPolicy policy) {
        LaneCounters counters = LaneCounters.allocate(file, 1, 0, "vif1.0");
        work.counters = counters;
        return new Lane(1, "vif1.0", 0, work, counters, policy, null, LanePriority.MEDIUM);
    }

    @AfterEach
    void close() {
        file.close();
    }

    private long count(LaneCounter c) {
        return lane.counters().get(c);
    }

    @Test
    void smallSparseBatchesStayInInterruptModeAndBlock() {
        for (int i = 0; i < 20; i++) {
            work.batches(3);
            assertEquals(LaneStep.CONTINUE, lane.step(now));
            assertEquals(LaneStep.BLOCK, lane.step(now));
            assertTrue(lane.blocked());
            lane.onWake(true, false);
            now += 5 * MS; // one notification every 5 ms: far below 8 per ms
        }
        assertEquals(LaneMode.INTERRUPT, lane.mode());
        assertEquals(60, count(LaneCounter.INTRS));
        assertEquals(0, count(LaneCounter.POLLS));
        assertEquals(60, count(LaneCounter.IPKTS));
        assertEquals(20, count(LaneCounter.BLKCNT));
        assertEquals(20, count(LaneCounter.UBLKCNT));
        assertEquals(0, count(LaneCounter.TOPOLL));
        assertEquals(0, count(LaneCounter.MODE));
        assertTrue(work.calls.stream().noneMatch("suppress"::equals));
    }

    @Test
    void aLargeBatchSwitchesToPollModeAndQuietSwitchesBack() {
        work.batches(40, 5, 20, 60);
        assertEquals(LaneStep.CONTINUE, lane.step(now)); // 40 >= pollBatch 32 in interrupt mode
        assertEquals(LaneMode.POLL, lane.mode());
        assertEquals(List.of("suppress"), work.calls);
        assertEquals(1, count(LaneCounter.MODE));
        for (int i = 0; i < 3; i++) {
            now += 10 * US;
            assertEquals(LaneStep.CONTINUE, lane.step(now));
        }
        assertEquals(40, count(LaneCounter.INTRS));
        assertEquals(85, count(LaneCounter.POLLS));
        assertEquals(1, count(LaneCounter.CH_LT10));
        assertEquals(1, count(LaneCounter.CH_10_50));
        assertEquals(1, count(LaneCounter.CH_GT50));
        long lastWork = now;
        // empty polls before the quiet period ends: back off, stay in poll mode
        for (long t = lastWork + 100 * US; t < lastWork + PollingPolicy.DEFAULTS.quietNs(); t += 100 * US) {
            assertEquals(LaneStep.IDLE, lane.step(t));
            assertEquals(LaneMode.POLL, lane.mode());
        }
        assertEquals(List.of("suppress"), work.calls);
        now = lastWork + PollingPolicy.DEFAULTS.quietNs();
        assertEquals(LaneStep.BLOCK, lane.step(now));
        assertEquals(LaneMode.INTERRUPT, lane.mode());
        assertEquals(List.of("suppress", "arm"), work.calls);
        assertEquals(1, count(LaneCounter.TOPOLL));
        assertEquals(1, count(LaneCounter.TOINTR));
        assertEquals(0, count(LaneCounter.MODE));
        assertEquals(1, count(LaneCounter.BLKCNT));
    }

    @Test
    void frequentSmallBatchesSwitchToPollMode() {
        for (int i = 0; i < 7; i++) {
            work.batches(2);
            assertEquals(LaneStep.CONTINUE, lane.step(now));
            assertEquals(LaneStep.BLOCK, lane.step(now));
            lane.onWake(true, false);
            now += 100 * US; // 7 batches in 700 us
            assertEquals(LaneMode.INTERRUPT, lane.mode());
        }
        work.batches(2);
        assertEquals(LaneStep.CONTINUE, lane.step(now)); // the 8th within 1 ms
        assertEquals(LaneMode.POLL, lane.mode());
        assertEquals(16, count(LaneCounter.INTRS));
    }

    @Test
    void arrivalsOutsideTheWindowDoNotAccumulate() {
        for (int i = 0; i < 30; i++) {
            work.batches(2);
            lane.step(now);
            lane.step(now);
            lane.onWake(true, false);
            now += 200 * US; // 5 per ms: never 8 within one 1 ms window
        }
        assertEquals(LaneMode.INTERRUPT, lane.mode());
    }

    @Test
    void workFoundByTheFinalCheckIsRunInsteadOfBlocking() {
        work.batches(1);
        lane.step(now);
        work.armAnswers.add(true); // a request arrived between the empty batch and the arm
        work.batches(0, 4);
        assertEquals(LaneStep.CONTINUE, lane.step(now));
        assertEquals(LaneStep.CONTINUE, lane.step(now));
        assertEquals(LaneStep.BLOCK, lane.step(now));
        assertEquals(5, count(LaneCounter.INTRS));
        assertEquals(1, count(LaneCounter.BLKCNT));
    }

    @Test
    void workFoundWhenLeavingPollModeIsCountedOnTheInterruptPath() {
        work.batches(50);
        lane.step(now);
        now += PollingPolicy.DEFAULTS.quietNs();
        work.armAnswers.add(true);
        assertEquals(LaneStep.CONTINUE, lane.step(now));
        assertEquals(LaneMode.INTERRUPT, lane.mode());
        work.batches(3);
        lane.step(now);
        assertEquals(53, count(LaneCounter.INTRS));
        assertEquals(0, count(LaneCounter.BLKCNT));
    }

    @Test
    void onlyAWakeOfABlockedLaneCountsAsUnblocked() {
        lane.onWake(true, false);
        assertEquals(0, count(LaneCounter.UBLKCNT));
        assertEquals(List.of("wake"), work.calls);
        assertEquals(LaneStep.BLOCK, lane.step(now));
        lane.onWake(false, false);
        assertEquals(1, count(LaneCounter.UBLKCNT));
        assertEquals(List.of("wake", "arm"), work.calls); // no work fd readable: onWake not passed on
    }

    @Test
    void thresholdsComeFromProperties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("xnb.lane.pollBatch", "4");
        p.setProperty("xnb.lane.quietUs", "50");
        PollingPolicy policy = PollingPolicy.from(p);
        assertEquals(4, policy.pollBatch());
        assertEquals(50 * US, policy.quietNs());
        assertEquals(PollingPolicy.DEFAULTS.pollArrivals(), policy.pollArrivals());
        ScriptedWork w = new ScriptedWork();
        LaneCounters c = LaneCounters.allocate(file, 2, 0, "vif2.0");
        Lane l = new Lane(2, "vif2.0", 0, w, c, policy, null, LanePriority.LOW);
        w.batches(4);
        l.step(now);
        assertEquals(LaneMode.POLL, l.mode());
        assertEquals(LaneStep.IDLE, l.step(now + 49 * US));
        assertEquals(LaneStep.BLOCK, l.step(now + 50 * US));
    }

    @Test
    void outOfTokensInInterruptModeGoesToPollModeAndSleepsUntilRefill() {
        lane.setMaxBandwidth(8_000_000L); // 1 MB/s, burst 128 KiB
        work.bytesPerPacket = 1000;
        work.batches(20, 20, 20, 20, 20, 20, 20); // 140 KB > burst
        LaneStep s;
        int batches = 0;
        while ((s = lane.step(now)) == LaneStep.CONTINUE) {
            batches++;
        }
        assertEquals(LaneStep.THROTTLED, s);
        assertEquals(7, batches); // the 7th batch overdraws; the bucket pays it back
        assertEquals(LaneMode.POLL, lane.mode());
        assertEquals(1, count(LaneCounter.THROTTLED));
        long deficit = 140_000L - 131_072L;
        long until = lane.throttledUntilNs();
        assertEquals(now + (deficit + 1) * 1000, until, 1_000); // at 1 byte per microsecond
        assertEquals(LaneStep.THROTTLED, lane.step(until - 1));
        work.batches(1);
        assertEquals(LaneStep.CONTINUE, lane.step(until));
    }
}
