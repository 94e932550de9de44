package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.xnb.tools.usage.UsageJournal;
import org.xnb.tools.usage.UsageRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xnb bench usage-journal}: records/s appended to, then read from, the Chronicle usage journal. */
@Command(name = "usage-journal", mixinStandardHelpOptions = true,
        description = "Usage records appended and read per second (Chronicle Queue journal).",
        footer = {"", "Example:", "  bin/xnb bench usage-journal --records 1000000"})
public final class UsageJournalBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "500000", description = "Records (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--dir", description = "Parent of the throw-away journal (default: the temp dir).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path j = Files.createTempDirectory(dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")), "xnb-usage-bench");
        try {
            long t0 = System.nanoTime();
            try (UsageJournal w = UsageJournal.openForAppend(j)) {
                for (int i = 0; i < records; i++) {
                    w.append(new UsageRecord("vnic" + (i & 63), (i & 1) == 0 ? "" : "flow" + (i & 7), i * 1000L,
                            i * 1000L + 1000, i, 2L * i, i, i, 0));
                }
            }
            long t1 = System.nanoTime();
            int n;
            try (UsageJournal r = UsageJournal.openForRead(j)) {
                n = r.readAll().size();
            }
            long t2 = System.nanoTime();
            if (n != records) {
                out.printf("read %d of %d records%n", n, records);
                return 1;
            }
            out.printf("usage journal in %s: %d records%n", j.getParent(), records);
            out.printf("append %.0f records/s, read %.0f records/s%n", records / ((t1 - t0) / 1e9), records / ((t2 - t1) / 1e9));
            out.flush();
            return 0;
        } finally {
            try (var s = Files.walk(j)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
