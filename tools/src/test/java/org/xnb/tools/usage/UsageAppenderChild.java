package org.xnb.tools.usage;

import java.nio.file.Path;

/**
 * The "daemon" that {@link UsageJournalCrashIT} kills: records link web0 and its flow http every
 * interval, the link's counters growing by 1000/2000 bytes and the flow's by 100 per sample, and
 * prints {@code appended N} after each sample's records are in the journal.
 */
public final class UsageAppenderChild {
    private UsageAppenderChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long interval = Long.parseLong(args[1]);
        long[] sample = {0};
        CounterSnapshotSource source = sink -> {
            long n = sample[0]++;
            sink.counters("web0", "", 1000 * n, 2000 * n, n, 2 * n, 0);
            sink.counters("web0", "http", 100 * n, 0, n, 0, 0);
        };
        UsageJournal journal = UsageJournal.openForAppend(dir);
        UsageRecorder rec = new UsageRecorder(source, journal, interval);
        while (true) {
            rec.sampleNow();
            System.out.println("appended " + rec.recordsWritten());
            System.out.flush();
            Thread.sleep(interval);
        }
    }
}
