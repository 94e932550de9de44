package org.xnb.tools.dlstat;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.xnb.vnic.stat.CountersFileReader;
import org.xnb.vnic.stat.LaneStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb dlstat}: the lanes' counters from the counters file the daemon maps (no request to
 * the daemon: the file is read-only mapped and read as it changes), like illumos
 * {@code dlstat show-link}: totals, or with {@code -i} the change per interval.
 */
@Command(name = "dlstat", mixinStandardHelpOptions = true,
        description = {"Print every lane's counters (one line per vif queue) from the daemon's counters file, "
                + "without asking the daemon.",
                "Without -i: totals since each lane opened. With -i: what changed during each interval, and rates.",
                "Columns: LINK INDEX IPKTS RBYTES (from the guest) OPKTS OBYTES (to the guest) INTRS POLLS "
                        + "(packets taken in interrupt / poll mode) SDROPS BLKCNT UBLKCNT TOPOLL TOINTR MODE; "
                        + "with -i also IBPS OBPS (bits/s)."},
        footer = {"", "Examples:",
                "  bin/xnb dlstat                              (real Xen: " + DlstatCommand.DEFAULT_FILE + ")",
                "  bin/xnb dlstat -f /dev/shm/h/counters -i 1 -c 5",
                "  bin/xnb dlstat -f /dev/shm/h/counters -p    (colon-separated, no header)"})
public final class DlstatCommand implements Callable<Integer> {
    static final String DEFAULT_FILE = "/run/xnb/counters";

    @Option(names = {"-f", "--file"}, paramLabel = "COUNTERS_FILE", defaultValue = DEFAULT_FILE,
            description = "The counters file (the daemon's --counters; default ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS",
            description = "Print what changed every SECONDS (1..3600), with rates.")
    Integer interval;

    @Option(names = {"-c", "--count"}, paramLabel = "N",
            description = "With -i: stop after N intervals (default: until interrupted).")
    Integer count;

    @Option(names = {"-p", "--parseable"}, description = "One colon-separated line per lane, no header.")
    boolean parseable;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (interval != null && (interval < 1 || interval > 3600)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-i must be 1..3600 seconds, not " + interval);
        }
        if (count != null && (interval == null || count < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-c needs -i and a count >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CountersFileReader reader = CountersFileReader.open(file)) {
            if (interval == null) {
                out.print(LaneTable.format(reader.lanes(), null, 0, parseable));
                out.flush();
                return 0;
            }
            List<LaneStats> before = reader.lanes();
            for (int i = 0; count == null || i < count; i++) {
                long start = System.nanoTime();
                Thread.sleep(interval * 1000L);
                List<LaneStats> now = reader.lanes();
                out.print(LaneTable.format(now, before, System.nanoTime() - start, parseable));
                if (!parseable) {
                    out.println();
                }
                out.flush();
                before = now;
            }
            return 0;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("xnb dlstat: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
