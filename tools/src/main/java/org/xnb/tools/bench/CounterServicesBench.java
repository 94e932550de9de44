package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.xnb.tools.metrics.LaneMetrics;
import org.xnb.tools.metrics.MetricsRegistry;
import org.xnb.tools.metrics.MetricsServer;
import org.xnb.tools.usage.LaneUsageSource;
import org.xnb.tools.usage.UsageJournal;
import org.xnb.tools.usage.UsageRecorder;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.CountersFileReader;

/**
 * {@code xnb bench metrics}: what the daemon's {@code --metrics-port} and {@code --usage-interval}
 * cost per scrape and per usage sample, over a counters file of the daemon's size holding N
 * lanes (read through a second, read-only mapping, as the daemon reads its own file).
 */
@picocli.CommandLine.Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Time of one Prometheus scrape (HTTP GET /metrics, every lane counter) and of one usage "
                + "sample (lanes summed per link, appended to a journal) with N lanes in the daemon's counters file.",
        footer = {"", "Example:", "  bin/xnb bench metrics --lanes 64 --rounds 200"})
public final class CounterServicesBench implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--lanes", defaultValue = "64", description = "Lanes (default ${DEFAULT-VALUE}).")
    int lanes;

    @picocli.CommandLine.Option(names = "--rounds", defaultValue = "200",
            description = "Scrapes and samples timed (default ${DEFAULT-VALUE}; as many again first, untimed).")
    int rounds;

    @picocli.CommandLine.Option(names = "--dir", description = "Parent of the throw-away files (default: /dev/shm).")
    Path dir = Path.of("/dev/shm");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int capacity = org.xnb.tools.daemon.LaneThreads.countersCapacity(); // the daemon's file
        if (lanes < 1 || lanes * org.xnb.vnic.stat.LaneCounter.count() > capacity || rounds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lanes must be 1.."
                    + capacity / org.xnb.vnic.stat.LaneCounter.count() + " and --rounds >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory(dir, "xnb-metrics-bench");
        List<LaneCounters> made = new ArrayList<>();
        try (CountersFile file = CountersFile.create(work.resolve("counters"), capacity);
                CountersFileReader reader = CountersFileReader.open(work.resolve("counters"));
                UsageJournal journal = UsageJournal.openForAppend(work.resolve("usage"))) {
            for (int i = 0; i < lanes; i++) {
                LaneCounters c = LaneCounters.allocate(file, i + 1, 0, "vif" + (i + 1) + ".0");
                c.in(i + 1, 1500L * (i + 1));
                made.add(c);
            }
            MetricsRegistry registry = new MetricsRegistry();
            registry.addCollector(new LaneMetrics(reader::lanes));
            Histogram scrape = new Histogram(3);
            int bytes = 0;
            try (MetricsServer server = MetricsServer.start(registry, 0)) {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                        + "/metrics")).build();
                for (int i = 0; i < 2 * rounds; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                    long t = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                        out.println("scrape failed: " + r.statusCode() + " " + r.body());
                        return 1;
                    }
                    bytes = r.body().length();
                    if (i >= rounds) {
                        scrape.recordValue(t);
                    }
                }
            }
            long[] clock = {0};
            UsageRecorder recorder = new UsageRecorder(new LaneUsageSource(reader::lanes), journal, 1000,
                    () -> clock[0] += 1000);
            recorder.sampleNow(); // the baseline
            Histogram sample = new Histogram(3);
            for (int i = 0; i < 2 * rounds; i++) {
                made.get(i % lanes).in(1, 64);
                long t0 = System.nanoTime();
                int n = recorder.sampleNow();
                long t = System.nanoTime() - t0;
                if (n != lanes) {
                    out.println("a sample wrote " + n + " records, not " + lanes);
                    return 1;
                }
                if (i >= rounds) {
                    sample.recordValue(t);
                }
            }
            out.printf("counters file of %d counters, %d lanes, %d rounds%n", capacity, lanes, rounds);
            out.printf("scrape (HTTP GET, %d bytes): p50 %.2f ms, p99 %.2f ms%n", bytes,
                    scrape.getValueAtPercentile(50) / 1e6, scrape.getValueAtPercentile(99) / 1e6);
            out.printf("usage sample (%d records appended): p50 %.2f ms, p99 %.2f ms%n", lanes,
                    sample.getValueAtPercentile(50) / 1e6, sample.getValueAtPercentile(99) / 1e6);
            out.flush();
            return 0;
        } finally {
            made.forEach(LaneCounters::close);
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
