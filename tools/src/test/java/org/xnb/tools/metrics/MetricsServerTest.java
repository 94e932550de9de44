package org.xnb.tools.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    final MetricsRegistry registry = new MetricsRegistry();
    final AtomicLong web0Rx = new AtomicLong(1234);
    MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        registry.register("xnb_link_rbytes_total", "Bytes received by the link.", MetricType.COUNTER,
                Map.of("link", "web0"), web0Rx::get);
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("link", "we\"ird\\name\nx");
        odd.put("lane", "0");
        registry.register("xnb_link_rbytes_total", "ignored: the first help wins", MetricType.COUNTER, odd, () -> 7);
        registry.register("xnb_lane_backlog", "Requests waiting\\queued\non the lane.", MetricType.GAUGE, Map.of(), () -> -3);
        server = MetricsServer.start(registry, 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One HTTP/1.1 request on a fresh socket; returns the whole response (the server closes). */
    static String http(InetSocketAddress to, String method, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void metricsAreTheExpositionFormat() throws Exception {
        String r = http(server.address(), "GET", "/metrics");
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("\r\ncontent-type: text/plain; version=0.0.4; charset=utf-8\r\n"), r);
        assertEquals(""
                + "# HELP xnb_link_rbytes_total Bytes received by the link.\n"
                + "# TYPE xnb_link_rbytes_total counter\n"
                + "xnb_link_rbytes_total{link=\"web0\"} 1234\n"
                + "xnb_link_rbytes_total{link=\"we\\\"ird\\\\name\\nx\",lane=\"0\"} 7\n"
                + "# HELP xnb_lane_backlog Requests waiting\\\\queued\\non the lane.\n"
                + "# TYPE xnb_lane_backlog gauge\n"
                + "xnb_lane_backlog -3\n", body(r));
    }

    @Test
    void valuesAreReadAtScrapeTimeAndClosedSeriesDisappear() throws Exception {
        web0Rx.set(99);
        MetricsRegistry.Registration flow = registry.register("xnb_flow_drops_total", "Drops.", MetricType.COUNTER,
                Map.of("link", "web0", "flow", "http"), () -> 5);
        String b = body(http(server.address(), "GET", "/metrics"));
        assertTrue(b.contains("xnb_link_rbytes_total{link=\"web0\"} 99\n"), b);
        assertTrue(b.contains("xnb_flow_drops_total{"), b);
        flow.close();
        b = body(http(server.address(), "GET", "/metrics"));
        assertTrue(!b.contains("xnb_flow_drops_total"), "no family without series: " + b);
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        assertTrue(http(server.address(), "GET", "/").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(http(server.address(), "GET", "/metrics/x").startsWith("HTTP/1.1 404 Not Found\r\n"));
        String post = http(server.address(), "POST", "/metrics");
        assertTrue(post.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), post);
        assertTrue(http(server.address(), "GET", "/metrics?x=1").startsWith("HTTP/1.1 200 OK\r\n"));
    }

    @Test
    void bindsOnlyTheLoopbackAddress() throws Exception {
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .toList();
        for (InetAddress a : others) {
            // the same port on the machine's other addresses is closed
            assertThrows(ConnectException.class, () -> http(new InetSocketAddress(a, server.address().getPort()), "GET", "/metrics"),
                    "reachable on " + a);
        }
    }

    @Test
    void aFailingSupplierIsA500AndTheServerKeepsServing() throws Exception {
        MetricsRegistry.Registration bad = registry.register("xnb_broken", "Throws.", MetricType.GAUGE, Map.of(), () -> {
            throw new IllegalStateException("lane gone");
        });
        String r = http(server.address(), "GET", "/metrics");
        assertTrue(r.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), r);
        assertTrue(body(r).contains("lane gone"), r);
        bad.close();
        assertTrue(http(server.address(), "GET", "/metrics").startsWith("HTTP/1.1 200 OK\r\n"));
    }

    @Test
    void registryRefusesBadNamesAndDuplicates() {
        assertThrows(IllegalArgumentException.class,
                () -> registry.register("1bad", "h", MetricType.GAUGE, Map.of(), () -> 0));
        assertThrows(IllegalArgumentException.class,
                () -> registry.register("ok", "h", MetricType.GAUGE, Map.of("bad-label", "x"), () -> 0));
        assertThrows(IllegalArgumentException.class,
                () -> registry.register("xnb_link_rbytes_total", "h", MetricType.GAUGE, Map.of("link", "x"), () -> 0));
        assertThrows(IllegalArgumentException.class,
                () -> registry.register("xnb_link_rbytes_total", "h", MetricType.COUNTER, Map.of("link", "web0"), () -> 0));
    }
}
