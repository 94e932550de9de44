package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Round trips per second and latency of xnb's xenstore client against the harness xenstored
 * (in this JVM, on a Unix socket in a temp directory): READ and WRITE, one client and N
 * concurrent clients, blocking and pipelined. Both ends share the machine's cores, so this is
 * the cost of the whole path (client framing, socket, server event loop), not of either alone.
 */
@Command(name = "xenstore", mixinStandardHelpOptions = true,
        description = "READ/WRITE round trips per second and p50/p99 latency: xnb's client against the harness xenstored.",
        footer = {"", "Example:", "  bin/xnb bench xenstore --seconds 3 --clients 8 --pipeline 64"})
public final class XenstoreBench implements Callable<Integer> {
    @Option(names = "--seconds", description = "Measuring time per row (default ${DEFAULT-VALUE}).", defaultValue = "2")
    double seconds;

    @Option(names = "--warmup", description = "Warm-up seconds before each row (default ${DEFAULT-VALUE}).", defaultValue = "0.5")
    double warmup;

    @Option(names = "--clients", description = "Concurrent clients of the multi-client rows (default ${DEFAULT-VALUE}).", defaultValue = "8")
    int clients;

    @Option(names = "--pipeline", description = "Requests in flight per client in the pipelined rows (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int pipeline;

    @Option(names = "--timeout", description = "Seconds to wait for a reply before failing (default ${DEFAULT-VALUE}).", defaultValue = "30")
    int timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || seconds > 600 || warmup < 0 || warmup > 600 || clients < 1 || clients > 256
                || pipeline < 2 || pipeline > 1024 || timeout < 1 || timeout > 3600) {
            throw new IllegalArgumentException(
                    "--seconds must be 0..600, --warmup 0..600, --clients 1..256, --pipeline 2..1024, --timeout 1..3600");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("command: bin/xnb bench xenstore --seconds %s --warmup %s --clients %d --pipeline %d --timeout %d%n",
                fmt(seconds), fmt(warmup), clients, pipeline, timeout);
        out.printf("xnb XenstoreClient -> harness XenstoredServer (same JVM, Unix socket), %s s per row after %s s warm-up%n",
                fmt(seconds), fmt(warmup));
        out.printf("%-6s %-8s %-10s %9s %12s %10s %10s%n", "op", "clients", "mode", "in-flight", "req/s", "p50 us", "p99 us");
        try (ScratchDirectory dir = new ScratchDirectory(null, "xnb-xs-bench-");
             XenstoredServer server = XenstoredServer.start(dir.path().resolve("xs"))) {
            List<XenstoreClient> conns = new ArrayList<>();
            try {
                XenstoreClientConfig config = XenstoreClientConfig.defaults().withRequestTimeout(Duration.ofSeconds(timeout));
                for (int i = 0; i < clients; i++) {
                    conns.add(XenstoreClient.connect(UnixSocketTransport.connect(server.socketPath()), config));
                    conns.get(i).write(RoundTripRow.keyOf(i), "initial");
                }
                for (int inFlight : new int[] {1, pipeline}) {
                    for (int n : clients == 1 ? new int[] {1} : new int[] {1, clients}) {
                        for (RoundTripRow.Op op : RoundTripRow.Op.values()) {
                            row(out, conns.subList(0, n), op, inFlight);
                        }
                    }
                }
            } finally {
                conns.forEach(XenstoreClient::close);
            }
        }
        out.flush();
        return 0;
    }

    private void row(PrintWriter out, List<XenstoreClient> conns, RoundTripRow.Op op, int inFlight) throws InterruptedException {
        RoundTripRow.Result r = new RoundTripRow(conns, op, inFlight, TimeUnit.SECONDS.toNanos(timeout))
                .run((long) (warmup * 1e9), (long) (seconds * 1e9));
        Histogram h = r.latencyNanos();
        out.printf("%-6s %-8d %-10s %9d %,12.0f %10.1f %10.1f%n", op, conns.size(), inFlight == 1 ? "blocking" : "pipelined",
                inFlight, r.perSecond(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
        out.flush();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
