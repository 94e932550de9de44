package org.xnb.tools.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.CountersFileReader;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Lanes of a real counters file (written as the daemon's lanes write it, read through a second,
 * read-only mapping as the daemon's endpoint reads it) served by {@link MetricsServer}: one
 * family per lane counter, a series per lane, values as they are at the scrape, lanes that go
 * are gone, registered series and collected ones side by side.
 */
class LaneMetricsTest {
    @TempDir
    Path dir;

    private static String scrape(MetricsServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void everyLaneCounterIsASeriesReadAtScrapeTime() throws Exception {
        Path file = dir.resolve("counters");
        try (CountersFile counters = CountersFile.create(file, 64);
                CountersFileReader reader = CountersFileReader.open(file)) {
            LaneCounters vif5 = LaneCounters.allocate(counters, 1, 0, "vif5.0");
            LaneCounters vif6 = LaneCounters.allocate(counters, 2, 1, "vif6.0");
            vif5.in(3, 180);
            vif5.out(2, 120);
            vif6.drop(4);
            MetricsRegistry registry = new MetricsRegistry();
            registry.register("xnb_up", "the daemon runs", MetricType.GAUGE, Map.of(), () -> 1);
            registry.addCollector(new LaneMetrics(reader::lanes));
            try (MetricsServer server = MetricsServer.start(registry, 0)) {
                String text = scrape(server);
                assertTrue(text.startsWith("# HELP xnb_up the daemon runs\n# TYPE xnb_up gauge\nxnb_up 1\n"), text);
                assertTrue(text.contains("# HELP xnb_lane_ipkts_total packets the lane took in (for a vif: sent by the "
                        + "guest) (dlstat IPKTS)\n# TYPE xnb_lane_ipkts_total counter\n"
                        + "xnb_lane_ipkts_total{link=\"vif5.0\",lane=\"0\"} 3\n"
                        + "xnb_lane_ipkts_total{link=\"vif6.0\",lane=\"1\"} 0\n"), text);
                assertTrue(text.contains("xnb_lane_rbytes_total{link=\"vif5.0\",lane=\"0\"} 180\n"), text);
                assertTrue(text.contains("xnb_lane_obytes_total{link=\"vif5.0\",lane=\"0\"} 120\n"), text);
                assertTrue(text.contains("xnb_lane_sdrops_total{link=\"vif6.0\",lane=\"1\"} 4\n"), text);
                assertTrue(text.contains("# TYPE xnb_lane_mode gauge\nxnb_lane_mode{link=\"vif5.0\",lane=\"0\"} 0\n"), text);
                for (LaneCounter c : LaneCounter.values()) {
                    assertEquals(2, text.lines().filter(l -> l.startsWith(LaneMetrics.name(c) + "{")).count(),
                            c + ": a series per lane\n" + text);
                }

                vif5.in(1, 1500);
                assertTrue(scrape(server).contains("xnb_lane_rbytes_total{link=\"vif5.0\",lane=\"0\"} 1680\n"),
                        "the value at the second scrape");
                vif6.close(); // the vif went: its lane's counters are freed
                String after = scrape(server);
                assertFalse(after.contains("vif6.0"), after);
                assertTrue(after.contains("xnb_lane_ipkts_total{link=\"vif5.0\",lane=\"0\"} 4\n"), after);
            }
            vif5.close();
        }
    }

    @Test
    void aCollectorThatDisagreesOnATypeIsA500AndItsRemovalHealsTheEndpoint() throws Exception {
        MetricsRegistry registry = new MetricsRegistry();
        registry.register("xnb_lane_mode", "x", MetricType.COUNTER, Map.of(), () -> 1);
        MetricsRegistry.Registration bad = registry.addCollector(
                sink -> sink.sample("xnb_lane_mode", "y", MetricType.GAUGE, Map.of("lane", "0"), 1));
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertTrue(r.body().contains("xnb_lane_mode is a counter, not a gauge"), r.body());
            bad.close();
            assertEquals("# HELP xnb_lane_mode x\n# TYPE xnb_lane_mode counter\nxnb_lane_mode 1\n", scrape(server));
        }
    }
}
