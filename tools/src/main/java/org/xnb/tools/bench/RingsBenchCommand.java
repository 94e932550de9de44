package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.xnb.grant.netif.Netif;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb bench rings}: entries per second through one netif TX ring between a producer thread
 * (frontend) and a consumer thread (backend), with notification suppression on. Each entry is a
 * full round trip: request pushed, copied out by the backend, answered in its slot, answer
 * consumed by the frontend. The table also shows how often a side had to be kicked, which is what
 * the suppression protocol is meant to keep low.
 */
@Command(name = "rings", description = "Shared-ring throughput, frontend -> backend -> frontend, two threads, suppressed kicks.",
        footer = {"", "Examples:", "  bin/xnb bench rings",
            "  bin/xnb bench rings --entries 50000000 --trials 5 --batch 32 --spin-polls 0"})
public final class RingsBenchCommand implements Callable<Integer> {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--entries", paramLabel = "N", description = "Entries per measured trial (default: ${DEFAULT-VALUE}).")
    long entries = 20_000_000L;

    @Option(names = "--trials", paramLabel = "N", description = "Measured trials (default: ${DEFAULT-VALUE}).")
    int trials = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up trials, not reported (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--batch", paramLabel = "N",
            description = "Most requests the frontend writes before one push (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--spin-polls", paramLabel = "N",
            description = "Empty polls before a side does its final check and sleeps (default: ${DEFAULT-VALUE}).")
    int spinPolls = 100;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Limit per trial (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("command: bin/xnb bench rings --entries %d --trials %d --warmup %d --batch %d --spin-polls %d%n",
                entries, trials, warmup, batch, spinPolls);
        out.printf("ring: netif TX, %d-byte slots, %d entries, one 4 KiB page in direct memory; "
                + "event channel: LockSupport park/unpark%n", Netif.TX_SLOT_BYTES, Netif.TX_RING_SIZE);
        out.printf("host: %d CPUs, Java %s (shared machine: numbers are indicative)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int i = 0; i < warmup; i++) {
            trial();
        }
        out.printf("%-7s %14s %16s %16s %16s %16s%n", "trial", "entries/s", "kicks->back /M",
                "kicks->front /M", "back sleeps /M", "front sleeps /M");
        List<RingThroughputTrial.Result> results = new ArrayList<>();
        for (int i = 1; i <= trials; i++) {
            RingThroughputTrial.Result r = trial();
            results.add(r);
            row(out, Integer.toString(i), r);
            out.flush();
        }
        RingThroughputTrial.Result median = median(results);
        row(out, "median", median);
        out.flush();
        return 0;
    }

    private void validate() {
        if (entries < 1_000 || entries > 1L << 40) {
            throw new IllegalArgumentException("--entries must be between 1000 and 2^40: " + entries);
        }
        if (trials < 1 || trials > 100) {
            throw new IllegalArgumentException("--trials must be between 1 and 100: " + trials);
        }
        if (warmup < 0 || warmup > 100) {
            throw new IllegalArgumentException("--warmup must be between 0 and 100: " + warmup);
        }
        if (batch < 1 || batch > Netif.TX_RING_SIZE) {
            throw new IllegalArgumentException("--batch must be between 1 and " + Netif.TX_RING_SIZE + ": " + batch);
        }
        if (spinPolls < 0 || spinPolls > 1_000_000) {
            throw new IllegalArgumentException("--spin-polls must be between 0 and 1000000: " + spinPolls);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 86_400) {
            throw new IllegalArgumentException("--timeout must be between 1 and 86400 seconds: " + timeoutSeconds);
        }
    }

    private RingThroughputTrial.Result trial() throws InterruptedException {
        RingThroughputTrial.Result r = new RingThroughputTrial(entries, batch, spinPolls, timeoutSeconds * 1000L).run();
        if (r.checksum() != entries * 1514) {
            throw new IllegalStateException("backend saw wrong request sizes: checksum " + r.checksum());
        }
        return r;
    }

    private static void row(PrintWriter out, String label, RingThroughputTrial.Result r) {
        long n = r.entries();
        out.printf("%-7s %,14.0f %16.1f %16.1f %16.1f %16.1f%n", label, r.entriesPerSecond(),
                RingThroughputTrial.Result.perMillion(r.kicksToBackend(), n),
                RingThroughputTrial.Result.perMillion(r.kicksToFrontend(), n),
                RingThroughputTrial.Result.perMillion(r.backendSleeps(), n),
                RingThroughputTrial.Result.perMillion(r.frontendSleeps(), n));
    }

    /** The trial with the median throughput (its own counters, not a mix of trials). */
    private static RingThroughputTrial.Result median(List<RingThroughputTrial.Result> results) {
        RingThroughputTrial.Result[] sorted = results.toArray(new RingThroughputTrial.Result[0]);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.entriesPerSecond(), b.entriesPerSecond()));
        return sorted[sorted.length / 2];
    }
}
