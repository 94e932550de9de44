package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnb.harness.xenstored.XenstoredConfig;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A host booting many guests at once: N vifs go through the netback/netfront xenbus handshake
 * concurrently ({@link VifHandshake}) on the harness xenstored in this JVM. dom0 uses two
 * connections (the toolstack and the backend, like libxl and the dom0 kernel's xenbus); each
 * guest uses its own guest socket, so 1000 guests are 1000 connections. Measured: from the
 * toolstack's first write until every frontend has seen its backend Connected (the last watch
 * event of every handshake chain), with the requests and watch events that took.
 */
@Command(name = "handshake-storm", mixinStandardHelpOptions = true,
        description = "N simulated vifs doing the xenbus handshake at once on the harness xenstored: time and totals.",
        footer = {"", "Example:", "  bin/xnb bench handshake-storm --vifs 1000"})
public final class HandshakeStormBench implements Callable<Integer> {
    @Option(names = "--vifs", description = "Guests, one vif and one connection each (default ${DEFAULT-VALUE}).", defaultValue = "1000")
    int vifs;

    @Option(names = "--toolstack-in-flight", description = "Toolstack requests outstanding at once (default ${DEFAULT-VALUE}).", defaultValue = "256")
    int toolstackInFlight;

    @Option(names = "--timeout", description = "Seconds before giving up on the storm (default ${DEFAULT-VALUE}).", defaultValue = "60")
    int timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (vifs < 1 || vifs > 32000 || toolstackInFlight < 1 || toolstackInFlight > 4096 || timeout < 1 || timeout > 3600) {
            throw new IllegalArgumentException(
                    "--vifs must be 1..32000, --toolstack-in-flight 1..4096, --timeout 1..3600");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("command: bin/xnb bench handshake-storm --vifs %d --toolstack-in-flight %d --timeout %d%n",
                vifs, toolstackInFlight, timeout);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(timeout);
        // one connection per guest plus dom0's two: raise C's limit when the storm needs more;
        // the backend pipelines thousands of requests, so let its reply queue hold them
        XenstoredConfig config = XenstoredConfig.DEFAULTS
                .withMaxConnections(Math.max(XenstoredConfig.DEFAULTS.maxConnections(), vifs + 16))
                .withMaxQueuedReplies(1 << 16);
        XenstoreClientConfig clientConfig = XenstoreClientConfig.defaults()
                .withRequestTimeout(Duration.ofSeconds(timeout)).withWatchQueueCapacity(1 << 16);
        List<XenstoreClient> clients = new ArrayList<>();
        try (ScratchDirectory dir = new ScratchDirectory(null, "xnb-storm-");
             XenstoredServer server = XenstoredServer.start(dir.path().resolve("xs"), config)) {
            long setupStart = System.nanoTime();
            XenstoreClient toolstack = connect(server.socketPath(), clientConfig, clients);
            XenstoreClient backend = connect(server.socketPath(), clientConfig, clients);
            VifHandshake storm = new VifHandshake(backend, vifs);
            toolstack.mkdir(VifHandshake.BACKEND_ROOT);
            for (int d = 1; d <= vifs; d++) {
                int domid = d;
                XenstoreClient guest = connect(server.introduceDomain(domid), clientConfig, clients);
                AtomicBoolean wroteRings = new AtomicBoolean();
                AtomicBoolean connected = new AtomicBoolean();
                guest.watch(VifHandshake.backendDir(domid) + "/state", "be",
                        ev -> storm.onBackendState(guest, domid, wroteRings, connected));
            }
            backend.watch(VifHandshake.BACKEND_ROOT, "backend", ev -> storm.onBackendDirEvent(ev.path()));
            // every watch fires once when set: let those settle so that they are not counted
            long setupDeadline = System.nanoTime() + timeoutNanos;
            awaitEvents(storm, vifs + 1L, setupDeadline, clients);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            long eventsBefore = storm.events();
            long requestsBefore = storm.requests();
            long cpuBefore = processCpuNanos();

            long start = System.nanoTime();
            long deadline = start + timeoutNanos;
            VifHandshake.Bounded pipe = new VifHandshake.Bounded(toolstackInFlight, timeoutNanos, storm);
            for (int d = 1; d <= vifs; d++) {
                storm.toolstack(toolstack, d, pipe);
            }
            while (!storm.frontendsConnected().await(50, TimeUnit.MILLISECONDS)) {
                if (storm.failure() != null) {
                    throw new IllegalStateException("a request failed: " + storm.failure(), storm.failure());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout + " s: "
                            + (vifs - storm.frontendsConnected().getCount()) + " of " + vifs + " vifs connected");
                }
            }
            double connectedSeconds = (System.nanoTime() - start) / 1e9;
            // then the stragglers: the backend hearing of its own last writes
            boolean exact = awaitEvents(storm, eventsBefore + vifs * VifHandshake.expectedEventsPerVif(), deadline, clients);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = processCpuNanos() - cpuBefore;
            if (storm.failure() != null) {
                throw new IllegalStateException("a request failed: " + storm.failure(), storm.failure());
            }
            long events = storm.events() - eventsBefore;
            long requests = storm.requests() - requestsBefore;
            out.printf("%d vifs, %d connections (toolstack + backend as dom0, one per guest), setup %.2f s%n",
                    vifs, clients.size(), setupSeconds);
            out.printf("%-6s %12s %11s %10s %12s %8s %12s %7s %8s%n", "vifs", "connected s", "all events s",
                    "requests", "requests/s", "events", "events/s", "cpu s", "rescans");
            out.printf("%-6d %12.3f %11.3f %10d %,12.0f %8d %,12.0f %7.2f %8d%n", vifs, connectedSeconds, seconds,
                    requests, requests / seconds, events, events / seconds, cpu / 1e9, storm.rescans());
            if (!exact) {
                out.printf("note: %d watch events were coalesced by a full client queue (events are hints),"
                        + " so the count is below %d per vif%n", dropped(clients), VifHandshake.expectedEventsPerVif());
            }
            out.flush();
        } finally {
            clients.forEach(XenstoreClient::close);
        }
        return 0;
    }

    private static XenstoreClient connect(Path socket, XenstoreClientConfig config, List<XenstoreClient> clients)
            throws java.io.IOException {
        XenstoreClient c = XenstoreClient.connect(UnixSocketTransport.connect(socket), config);
        clients.add(c);
        return c;
    }

    /**
     * Waits until the listeners have seen {@code expected} events. Returns false at once if a
     * client coalesced events (then fewer arrive, by design); fails at the deadline.
     */
    private static boolean awaitEvents(VifHandshake storm, long expected, long deadline, List<XenstoreClient> clients)
            throws InterruptedException {
        while (storm.events() < expected) {
            if (dropped(clients) > 0) {
                return false;
            }
            if (storm.failure() != null) {
                throw new IllegalStateException("a request failed: " + storm.failure(), storm.failure());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for watch events: " + storm.events()
                        + " of " + expected);
            }
            Thread.sleep(1);
        }
        return true;
    }

    private static long dropped(List<XenstoreClient> clients) {
        long n = 0;
        for (XenstoreClient c : clients) {
            n += c.watchEventsDropped();
        }
        return n;
    }

    /** CPU time of the whole process (server, clients, their threads): what the storm costs. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
