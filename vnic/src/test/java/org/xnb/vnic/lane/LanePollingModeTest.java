package org.xnb.vnic.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/** {@link PollingMode}: the two fixed modes the lanes benchmark compares dynamic polling with. */
class LanePollingModeTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private final CountersFile file = CountersFile.inMemory(64);
    private final ScriptedWork work = new ScriptedWork();
    private long now = 1_000 * MS;

    @AfterEach
    void close() {
        file.close();
    }

    private Lane lane(PollingMode mode) {
        LaneCounters counters = LaneCounters.allocate(file, 1, 0, "vif1.0");
        work.counters = counters;
        return new Lane(1, "vif1.0", 0, work, counters, PollingPolicy.DEFAULTS.withMode(mode), null, LanePriority.MEDIUM);
    }

    @Test
    void theDefaultIsDynamic() {
        assertEquals(PollingMode.DYNAMIC, PollingPolicy.DEFAULTS.mode());
        assertEquals(PollingMode.DYNAMIC, PollingPolicy.from(new Properties()).mode());
    }

    @Test
    void interruptOnlyNeverPollsHoweverLargeOrFrequentTheBatches() {
        Lane lane = lane(PollingMode.INTERRUPT_ONLY);
        for (int i = 0; i < 50; i++) { // 64-packet batches every 10 us: dynamic would poll after the first
            work.batches(64);
            assertEquals(LaneStep.CONTINUE, lane.step(now));
            assertEquals(LaneMode.INTERRUPT, lane.mode());
            now += 10 * US;
        }
        assertEquals(LaneStep.BLOCK, lane.step(now)); // empty: arm and block
        assertEquals(3200, lane.counters().get(LaneCounter.INTRS));
        assertEquals(0, lane.counters().get(LaneCounter.POLLS));
        assertEquals(0, lane.counters().get(LaneCounter.TOPOLL));
        assertEquals(1, lane.counters().get(LaneCounter.BLKCNT));
        assertEquals(List.of("arm"), work.calls);
    }

    @Test
    void pollOnlyPollsFromTheFirstStepAndNeverArmsOrBlocks() {
        Lane lane = lane(PollingMode.POLL_ONLY);
        assertEquals(LaneStep.IDLE, lane.step(now)); // nothing yet: back off, do not block
        assertEquals(LaneMode.POLL, lane.mode());
        assertEquals(1, lane.counters().get(LaneCounter.MODE));
        work.batches(3);
        assertEquals(LaneStep.CONTINUE, lane.step(now + US));
        for (long t = now + 2 * US; t < now + 10_000 * MS; t += 50 * MS) { // 10 s quiet: dynamic would block after 2 ms
            assertEquals(LaneStep.IDLE, lane.step(t));
        }
        assertEquals(LaneMode.POLL, lane.mode());
        assertEquals(List.of("suppress"), work.calls);
        assertEquals(3, lane.counters().get(LaneCounter.POLLS));
        assertEquals(0, lane.counters().get(LaneCounter.INTRS));
        assertEquals(0, lane.counters().get(LaneCounter.BLKCNT));
        assertEquals(0, lane.counters().get(LaneCounter.TOINTR));
    }

    @Test
    void theModeComesFromPropertiesAndABadOneSaysWhatIsAllowed() {
        Properties p = new Properties();
        p.setProperty("xnb.lane.mode", "Poll-Only");
        p.setProperty("xnb.lane.pollBatch", "4");
        PollingPolicy policy = PollingPolicy.from(p);
        assertEquals(PollingMode.POLL_ONLY, policy.mode());
        assertEquals(4, policy.pollBatch());
        p.setProperty("xnb.lane.mode", "interrupt-only");
        assertEquals(PollingMode.INTERRUPT_ONLY, PollingPolicy.from(p).mode());
        p.setProperty("xnb.lane.mode", "sometimes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PollingPolicy.from(p));
        assertTrue(e.getMessage().contains("xnb.lane.mode=sometimes")
                && e.getMessage().contains("allowed: dynamic, interrupt-only, poll-only"), e.getMessage());
    }
}
