package org.xnb.vnic.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import org.junit.jupiter.api.Test;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Random scripts (batch sizes, time gaps, arm answers, maxbw) through {@link Lane#step}: the
 * counters always add up and the mode, the notification calls and the answers agree.
 */
class LanePropertyTest {
    @Test
    void countersAndModesStayConsistent() {
        long[] seen = new long[3]; // examples that went to poll mode, came back, were throttled
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, 1 << 20)).ofSizeBetween(1, 300), integers().between(0, 3))
                .checkAssert((script, rateChoice) -> {
                    try (CountersFile file = CountersFile.inMemory(64)) {
                        ScriptedWork work = new ScriptedWork();
                        LaneCounters c = LaneCounters.allocate(file, 1, 0, "p");
                        work.counters = c;
                        work.bytesPerPacket = 1500;
                        Lane lane = new Lane(1, "p", 0, work, c, PollingPolicy.DEFAULTS, null, LanePriority.LOW);
                        long[] rates = {0, 10_000_000L, 1_000_000_000L, 8_000L};
                        lane.setMaxBandwidth(rates[rateChoice]);
                        long now = 0;
                        long nonEmptyPolls = 0;
                        long packets = 0;
                        for (int v : script) {
                            int batch = v % 4 == 0 ? 0 : v % 97; // a quarter empty, else 1..96
                            // a fifth of the gaps reach past the quiet period (up to 4 ms), the rest are tiny
                            long gap = (v >> 7) % 5 == 0 ? (v >> 10) * 4_000L : (v >> 10) % 50;
                            work.armAnswers.clear();
                            work.armAnswers.add((v >> 8) % 7 == 0);
                            work.batches.clear();
                            work.batches.add(batch);
                            LaneMode before = lane.mode();
                            int callsBefore = work.doWorkCalls;
                            LaneStep s = lane.step(now);
                            boolean ran = work.doWorkCalls > callsBefore;
                            if (ran) {
                                packets += batch;
                                if (before == LaneMode.POLL && batch > 0) {
                                    nonEmptyPolls++;
                                }
                            }
                            switch (s) {
                                case BLOCK -> {
                                    assertEquals(LaneMode.INTERRUPT, lane.mode());
                                    assertTrue(lane.blocked());
                                    assertEquals("arm", work.calls.get(work.calls.size() - 1));
                                    lane.onWake(true, false);
                                }
                                case IDLE -> assertEquals(LaneMode.POLL, lane.mode());
                                case THROTTLED -> {
                                    assertNotEquals(0, rates[rateChoice]);
                                    assertTrue(lane.throttledUntilNs() > now);
                                    assertEquals(LaneMode.POLL, lane.mode());
                                    assertTrue(!ran);
                                }
                                case CONTINUE -> assertTrue(ran);
                                default -> throw new AssertionError(s);
                            }
                            now += gap;
                        }
                        assertEquals(packets, c.get(LaneCounter.IPKTS));
                        assertEquals(packets * 1500, c.get(LaneCounter.RBYTES));
                        assertEquals(packets, c.get(LaneCounter.INTRS) + c.get(LaneCounter.POLLS));
                        assertEquals(nonEmptyPolls, c.get(LaneCounter.CH_LT10) + c.get(LaneCounter.CH_10_50)
                                + c.get(LaneCounter.CH_GT50));
                        long toPoll = c.get(LaneCounter.TOPOLL);
                        long toIntr = c.get(LaneCounter.TOINTR);
                        assertEquals(lane.mode() == LaneMode.POLL ? 1 : 0, toPoll - toIntr);
                        assertEquals(lane.mode().code(), c.get(LaneCounter.MODE));
                        assertEquals(toPoll, work.calls.stream().filter("suppress"::equals).count());
                        assertEquals(c.get(LaneCounter.BLKCNT), c.get(LaneCounter.UBLKCNT));
                        seen[0] += toPoll > 0 ? 1 : 0;
                        seen[1] += toIntr > 0 ? 1 : 0;
                        seen[2] += c.get(LaneCounter.THROTTLED) > 0 ? 1 : 0;
                    }
                });
        // the scripts did exercise every transition
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0, java.util.Arrays.toString(seen));
    }
}
