package org.xnb.tools.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.CountersFileReader;

/**
 * The daemon's usage source over a real counters file: a link's lanes summed, RBYTES/IPKTS as
 * what the link took in, OBYTES/OPKTS as what it delivered, SDROPS as drops; through the
 * recorder, a vif that appears between samples is counted from zero and one that goes is dropped.
 */
class LaneUsageSourceTest {
    @TempDir
    Path dir;

    @Test
    void lanesOfALinkAreSummedIntoOneRecordPerInterval() {
        Path file = dir.resolve("counters");
        AtomicLong clock = new AtomicLong(10_000);
        try (CountersFile counters = CountersFile.create(file, 128);
                CountersFileReader reader = CountersFileReader.open(file);
                UsageJournal journal = UsageJournal.openForAppend(dir.resolve("usage"))) {
            UsageRecorder rec = new UsageRecorder(new LaneUsageSource(reader::lanes), journal, 1000, clock::get);
            LaneCounters q0 = LaneCounters.allocate(counters, 1, 0, "vif5.0");
            LaneCounters q1 = LaneCounters.allocate(counters, 2, 1, "vif5.0");
            q0.in(1, 100);
            assertEquals(0, rec.sampleNow(), "the baseline");
            q0.in(2, 200);
            q1.in(3, 300);
            q1.out(4, 400);
            q0.drop(1);
            clock.addAndGet(1000);
            LaneCounters late = LaneCounters.allocate(counters, 3, 0, "vif6.0"); // attached during the interval
            late.out(5, 500);
            assertEquals(2, rec.sampleNow());
            q0.close();
            q1.close(); // vif5.0 went
            late.in(1, 60);
            clock.addAndGet(1000);
            assertEquals(1, rec.sampleNow());
            assertEquals(List.of(
                    new UsageRecord("vif5.0", "", 10_000, 11_000, 500, 400, 5, 4, 1),
                    new UsageRecord("vif6.0", "", 10_000, 11_000, 0, 500, 0, 5, 0),
                    new UsageRecord("vif6.0", "", 11_000, 12_000, 60, 0, 1, 0, 0)), journal.readAll());
            late.close();
        }
    }
}
