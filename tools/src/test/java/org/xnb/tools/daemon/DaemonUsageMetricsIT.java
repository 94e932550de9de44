package org.xnb.tools.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.tools.Main;
import org.xnb.tools.usage.UsageJournal;
import org.xnb.tools.usage.UsageRecord;
import org.xnb.vnic.testing.EtherFrames;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;

/**
 * The daemon's usage accounting and metrics endpoint, on a daemon child process serving two
 * harness guests on an etherstub while guest A sends an ARP request to B every 10 ms (B answers):
 * the endpoint, scraped with an HTTP client, shows the lane counters moving; the journal gets a
 * record per vif per second that {@code show-usage} prints; after {@code kill -9} every record
 * appended before is still read, intervals contiguous; a second daemon opens the same journal.
 * With SIGTERM the last partial interval is written, so the journal accounts for every frame.
 */
class DaemonUsageMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** An ARP request from a Linux-like guest: 42 bytes, no padding (the switch does not pad). */
    private static final int ARP_BYTES = 42;

    private HarnessHost host;
    private XenstoredServer server;
    private XenstoreClient dom0;
    private VifNodes nodes;

    @BeforeEach
    void setUp() throws Exception {
        host = new HarnessHost();
        server = XenstoredServer.start(host.dir.resolve(Dom0Xenstore.HARNESS_SOCKET));
        dom0 = XenstoreClient.connect(UnixSocketTransport.connect(server.socketPath()));
        nodes = new VifNodes(dom0);
    }

    @AfterEach
    void tearDown() {
        if (dom0 != null) {
            dom0.close();
        }
        if (server != null) {
            server.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private static String xnb(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        assertEquals(expectedExit, rc, "xnb " + String.join(" ", args) + ": " + out + err);
        return out + err.toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Attaches both guests to the default link and lets them answer. */
    private void attachAndConnect(DaemonProcess daemon, RespondingGuest... guests) {
        try {
            for (RespondingGuest g : guests) {
                xnb(0, "attach", "--harness", host.dir.toString(), "--domain", Integer.toString(g.domid), "--mac",
                        g.mac);
                g.connect(0);
                await().atMost(WAIT).until(() -> "4".equals(nodes.backendState(g.domid, 0)));
                g.startResponding();
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nthe daemon's log:\n" + daemon.log(), e);
        }
    }

    /** A thread sending ARP requests from {@code a} for {@code b}'s address every 10 ms until interrupted. */
    private static Thread traffic(RespondingGuest a, RespondingGuest b) {
        byte[] request = arpRequest(a, b.ip);
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                a.send(request);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "arp-traffic");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        return r.body();
    }

    /** The value of one series in a scrape. */
    private static long series(String text, String name, String link) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{link=\"" + Pattern.quote(link) + "\",lane=\"0\"} (\\d+)$")
                .matcher(text);
        assertTrue(m.find(), name + " of " + link + " not in the scrape:\n" + text);
        return Long.parseLong(m.group(1));
    }

    private static List<UsageRecord> records(Path journal, String link) {
        try (UsageJournal j = UsageJournal.openForRead(journal)) {
            return j.read(r -> r.link().equals(link));
        }
    }

    @Test
    void underTrafficMetricsMoveUsageIsJournaledEverySecondAndSurvivesKill9() throws Exception {
        int port = freePort();
        Path journal = host.dir.resolve("usage"); // the harness daemon's default
        java.time.LocalDateTime testStart = java.time.LocalDateTime.now().withNano(0);
        List<UsageRecord> beforeKill;
        try (RespondingGuest a = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.46.5");
                RespondingGuest b = new RespondingGuest(host, server, HarnessHost.GUEST_B, "00:16:3e:00:06:00",
                        "198.18.46.6")) {
            Thread sender;
            try (DaemonProcess daemon = DaemonProcess.start(host.dir, "--link", "xenbr0=etherstub",
                    "--usage-interval", "1", "--metrics-port", Integer.toString(port))) {
                // the journal is opened on its own thread, after the ready file
                await().atMost(WAIT).until(() -> daemon.log().contains("usage: every 1 s into " + journal));
                assertTrue(daemon.log().contains("metrics: http://127.0.0.1:" + port + "/metrics"), daemon.log());
                attachAndConnect(daemon, a, b);
                sender = traffic(a, b);

                // metrics: every lane counter, moving between two scrapes while traffic flows
                String first = scrape(port);
                assertTrue(first.contains("# TYPE xnb_lane_ipkts_total counter\n"), first);
                assertTrue(first.contains("# TYPE xnb_lane_mode gauge\n"), first);
                long in5 = series(first, "xnb_lane_ipkts_total", "vif5.0");
                long bytesIn5 = series(first, "xnb_lane_rbytes_total", "vif5.0");
                long out6 = series(first, "xnb_lane_opkts_total", "vif6.0");
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    String now = scrape(port);
                    assertTrue(series(now, "xnb_lane_ipkts_total", "vif5.0") >= in5 + 20, "A's requests counted");
                    assertTrue(series(now, "xnb_lane_rbytes_total", "vif5.0") >= bytesIn5 + 20 * ARP_BYTES);
                    assertTrue(series(now, "xnb_lane_opkts_total", "vif6.0") >= out6 + 20, "B got them");
                    assertTrue(series(now, "xnb_lane_opkts_total", "vif5.0") > 0, "B's replies reached A");
                });

                // usage: a record per vif per second, with the traffic in it
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> records(journal, "vif5.0")
                        .stream().filter(r -> r.ipkts() > 10).count() >= 3);
                String perLink = xnb(0, "show-usage", "--journal", journal.toString(), "vif5.0");
                assertTrue(perLink.startsWith("LINK"), perLink);
                assertTrue(perLink.lines().filter(l -> l.startsWith("vif5.0 ")).count() >= 3, perLink);
                String summary = xnb(0, "show-usage", "--journal", journal.toString());
                assertTrue(summary.contains("vif5.0") && summary.contains("vif6.0"), summary);

                beforeKill = records(journal, "vif5.0");
                Process p = daemon.process.process();
                p.destroyForcibly(); // SIGKILL, in the middle of the traffic
                assertTrue(p.waitFor(20, TimeUnit.SECONDS));
                assertEquals(137, p.exitValue(), "killed by SIGKILL");
            }
            sender.interrupt();
            sender.join();
        }

        // every record appended before the kill is there, intact, intervals contiguous and about 1 s
        List<UsageRecord> after = records(journal, "vif5.0");
        assertTrue(after.size() >= beforeKill.size(), after.size() + " < " + beforeKill.size());
        assertEquals(beforeKill, after.subList(0, beforeKill.size()));
        for (int i = 0; i < after.size(); i++) {
            UsageRecord r = after.get(i);
            // the first interval runs from the daemon's start (counters at zero) to its first sample
            long length = r.endMillis() - r.startMillis();
            assertTrue(length >= 900 && (i == 0 || length <= 3000), r.toString());
            assertEquals(r.ipkts() * ARP_BYTES, r.rbytes(), "A's frames are ARP requests: " + r);
            assertEquals(0, r.drops(), r.toString());
            if (i > 0) {
                assertEquals(after.get(i - 1).endMillis(), r.startMillis(), "contiguous: " + after);
            }
        }
        String shown = xnb(0, "show-usage", "--journal", journal.toString(), "vif5.0");
        assertEquals(after.size(), shown.lines().filter(l -> l.startsWith("vif5.0 ")).count(), shown);
        // -s/-e select by local time: the whole test, then a window after it
        java.time.format.DateTimeFormatter when = java.time.format.DateTimeFormatter.ofPattern("MM/dd/uuuu,HH:mm:ss");
        java.time.LocalDateTime testEnd = java.time.LocalDateTime.now().withNano(0).plusSeconds(1);
        String window = xnb(0, "show-usage", "--journal", journal.toString(), "-s", testStart.format(when), "-e",
                testEnd.format(when), "vif5.0");
        assertEquals(after.size(), window.lines().filter(l -> l.startsWith("vif5.0 ")).count(), window);
        String later = xnb(0, "show-usage", "--journal", journal.toString(), "-s", testEnd.plusMinutes(1).format(when),
                "vif5.0");
        assertEquals(0, later.lines().filter(l -> l.startsWith("vif5.0 ")).count(), later);

        // a new daemon appends to the journal a killed one left; SIGTERM ends it cleanly
        java.nio.file.Files.deleteIfExists(host.dir.resolve("xnb.ready")); // left by the killed one
        try (DaemonProcess again = DaemonProcess.start(host.dir, "--link", "xenbr0=etherstub", "--usage-interval", "1")) {
            assertEquals(0, again.terminate(), again.log());
            assertFalse(again.log().contains("usage: a sample failed"), again.log());
        }
        assertEquals(after, records(journal, "vif5.0").subList(0, after.size()), "nothing lost or rewritten");
    }

    @Test
    void sigtermWritesTheLastPartialIntervalSoEveryFrameIsAccountedFor() throws Exception {
        Path journal = host.dir.resolve("journal-elsewhere");
        try (RespondingGuest a = new RespondingGuest(host, server, HarnessHost.GUEST_A, "00:16:3e:00:05:00",
                        "198.18.47.5");
                RespondingGuest b = new RespondingGuest(host, server, HarnessHost.GUEST_B, "00:16:3e:00:06:00",
                        "198.18.47.6");
                DaemonProcess daemon = DaemonProcess.start(host.dir, "--link", "xenbr0=etherstub",
                        "--usage-journal", journal.toString(), "--usage-interval", "3600")) {
            attachAndConnect(daemon, a, b);
            byte[] request = arpRequest(a, b.ip);
            for (int i = 0; i < 25; i++) {
                a.send(request);
            }
            await().atMost(WAIT).until(() -> b.framesReceived.get() >= 25 && a.framesReceived.get() >= 25);
            assertEquals(List.of(), records(journal, "vif5.0"), "no interval has ended yet");
            assertEquals(0, daemon.terminate(), daemon.log());

            List<UsageRecord> r5 = records(journal, "vif5.0");
            assertEquals(1, r5.size(), r5.toString());
            assertEquals(a.framesSent.get(), r5.get(0).ipkts(), "every frame A sent: " + r5);
            assertEquals(a.framesSent.get() * ARP_BYTES, r5.get(0).rbytes());
            assertEquals(a.framesReceived.get(), r5.get(0).opkts(), "every reply A received");
            List<UsageRecord> r6 = records(journal, "vif6.0");
            assertEquals(1, r6.size(), r6.toString());
            assertEquals(b.framesReceived.get(), r6.get(0).opkts(), "every request B received");
            assertEquals(b.framesSent.get(), r6.get(0).ipkts(), "every reply B sent");
        }
    }

    @Test
    void badUsageAndMetricsOptionsAreRefusedBeforeAnythingStarts() throws Exception {
        String err = xnb(2, "daemon", "--harness", host.dir.toString(), "--usage-interval", "-1");
        assertTrue(err.contains("--usage-interval must be 0 (no usage accounting) or 1..86400 seconds, not -1"), err);
        err = xnb(2, "daemon", "--harness", host.dir.toString(), "--metrics-port", "70000");
        assertTrue(err.contains("--metrics-port must be 0 (no metrics endpoint) or a TCP port 1..65535, not 70000"), err);
        Path file = host.dir.resolve("a-file");
        java.nio.file.Files.writeString(file, "x");
        err = xnb(2, "daemon", "--harness", host.dir.toString(), "--usage-journal", file.resolve("usage").toString());
        assertTrue(err.contains("--usage-journal " + file.resolve("usage") + ": cannot create the directory"), err);
        // a port in use is found only when binding it: the daemon (a child: it installs signal handlers) exits 2
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    DaemonProcess.JAR.toAbsolutePath().toString(), "daemon", "--harness", host.dir.toString(),
                    "--usage-interval", "0", "--metrics-port", Integer.toString(taken.getLocalPort()))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("daemon: --metrics-port " + taken.getLocalPort() + ": cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()), out);
            assertTrue(out.contains("xnb daemon stopped") || !out.contains("xnb daemon ready"), "never ready: " + out);
        }
    }

    static byte[] arpRequest(RespondingGuest from, String targetIp) {
        byte[] f = new byte[ARP_BYTES];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f);
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        b.position(6);
        b.put(EtherFrames.mac(from.mac)).putShort((short) EtherFrames.ETHERTYPE_ARP);
        b.putShort((short) 1).putShort((short) EtherFrames.ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(EtherFrames.mac(from.mac)).putInt(EtherFrames.ipv4(from.ip));
        b.put(new byte[6]).putInt(EtherFrames.ipv4(targetIp));
        return f;
    }
}
