package org.xnb.tools.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageRecorderTest {
    @TempDir
    Path dir;

    /** Cumulative counters the test sets by hand: key "link/flow" -> {rbytes, obytes, ipkts, opkts, drops}. */
    final Map<String, long[]> counters = new LinkedHashMap<>();
    final AtomicLong clock = new AtomicLong(1_000_000);

    final CounterSnapshotSource source = sink -> counters.forEach((k, v) -> {
        String[] lf = k.split("/", -1);
        sink.counters(lf[0], lf[1], v[0], v[1], v[2], v[3], v[4]);
    });

    @Test
    void writesDeltasPerIntervalForLinksAndFlows() {
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            UsageRecorder rec = new UsageRecorder(source, j, 1000, clock::get);
            counters.put("web0/", new long[] {100, 200, 1, 2, 0});
            counters.put("web0/http", new long[] {10, 20, 1, 1, 0});
            assertEquals(0, rec.sampleNow(), "the first sample is the baseline");
            clock.addAndGet(1000);
            counters.put("web0/", new long[] {1100, 2200, 11, 22, 3});
            counters.put("web0/http", new long[] {510, 20, 6, 1, 0});
            assertEquals(2, rec.sampleNow());
            clock.addAndGet(1000);
            counters.put("web0/", new long[] {50, 60, 1, 1, 0}); // the VNIC was recreated: counters restarted
            counters.remove("web0/http"); // the flow was removed
            counters.put("db0/", new long[] {5, 5, 5, 5, 5}); // a new link, made during the interval: from zero
            assertEquals(2, rec.sampleNow());
            assertEquals(4, rec.recordsWritten());

            assertEquals(List.of(
                    new UsageRecord("web0", "", 1_000_000, 1_001_000, 1000, 2000, 10, 20, 3),
                    new UsageRecord("web0", "http", 1_000_000, 1_001_000, 500, 0, 5, 0, 0),
                    new UsageRecord("web0", "", 1_001_000, 1_002_000, 50, 60, 1, 1, 0),
                    new UsageRecord("db0", "", 1_001_000, 1_002_000, 5, 5, 5, 5, 5)), j.readAll());
        }
    }

    @Test
    void threadAppendsEveryIntervalAndCloseWritesTheLastOne() throws Exception {
        counters.put("web0/", new long[] {0, 0, 0, 0, 0});
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            UsageRecorder rec = new UsageRecorder(sink -> {
                long[] c = counters.get("web0/");
                c[0] += 1500; // each sample sees 1500 more bytes
                sink.counters("web0", "", c[0], c[1], c[2], c[3], c[4]);
            }, j, 20);
            rec.start();
            org.awaitility.Awaitility.await().until(() -> rec.recordsWritten() >= 5);
            rec.close();
            List<UsageRecord> all = j.readAll();
            assertEquals(rec.recordsWritten(), all.size());
            for (int i = 0; i < all.size(); i++) {
                assertEquals(1500, all.get(i).rbytes());
                if (i > 0) {
                    assertEquals(all.get(i - 1).endMillis(), all.get(i).startMillis(), "intervals are contiguous");
                }
            }
        }
    }

    @Test
    void countingFromAKnownZeroLosesNothingBeforeTheFirstSample() throws Exception {
        counters.put("vif5.0/", new long[] {600, 0, 10, 0, 1}); // counted before the recorder ran
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            UsageRecorder rec = new UsageRecorder(source, j, 60_000, clock::get);
            rec.startCountingFrom(clock.get() - 500); // the counters file was made 0.5 s ago
            assertThrows(IllegalStateException.class, rec::start);
            clock.addAndGet(250);
            rec.close(); // the last sample: [made, now]
            assertEquals(List.of(new UsageRecord("vif5.0", "", 999_500, 1_000_250, 600, 0, 10, 0, 1)), j.readAll());
        }
    }

    @Test
    void aFailingSampleIsReportedAndTheThreadCarriesOn() throws Exception {
        AtomicLong calls = new AtomicLong();
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            UsageRecorder rec = new UsageRecorder(sink -> {
                long n = calls.incrementAndGet();
                if (n == 2) {
                    throw new IllegalStateException("link table busy");
                }
                sink.counters("web0", "", n, n, n, n, 0);
            }, j, 20);
            rec.start();
            org.awaitility.Awaitility.await().until(() -> rec.recordsWritten() >= 2);
            rec.close();
            assertEquals("link table busy", rec.lastError().getMessage());
        }
    }

    @Test
    void readerInAnotherHandleSeesAppendedRecords() {
        try (UsageJournal w = UsageJournal.openForAppend(dir)) {
            w.append(new UsageRecord("a", "", 1, 2, 3, 4, 5, 6, 7));
            try (UsageJournal r = UsageJournal.openForRead(dir)) {
                assertEquals(List.of(new UsageRecord("a", "", 1, 2, 3, 4, 5, 6, 7)), r.readAll());
                assertEquals(List.of(), r.read(x -> x.link().equals("b")));
            }
        }
    }

    @Test
    void refusesSillyIntervalsAndRecords() {
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            assertThrows(IllegalArgumentException.class, () -> new UsageRecorder(source, j, 5));
        }
        assertThrows(IllegalArgumentException.class, () -> new UsageRecord("a", "", 5, 5, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> UsageJournal.openForRead(dir.resolve("none")));
    }
}
