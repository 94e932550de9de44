package org.xnb.tools.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.EventChannel;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Notify-to-wake-up latency of harness event channels between two processes: the backend here,
 * a guest in a second JVM ({@link EvtchnBenchGuest}), ping-ponging one port. Both stamp
 * {@code System.nanoTime} (CLOCK_MONOTONIC, common to the processes) into a granted page, so each
 * direction is measured one way, plus the round trip.
 */
@Command(name = "evtchn", mixinStandardHelpOptions = true,
        description = "Event-channel notify -> wake-up latency between two processes (p50/p99), ping-pong.",
        footer = {"", "Example:", "  bin/xnb bench evtchn --rounds 100000 --warmup 20000",
            "  bin/xnb bench evtchn --spin      # busy-poll instead of blocking in poll(2)"})
public final class EvtchnBench implements Callable<Integer> {
    private static final int BACKEND = 0;
    private static final int GUEST = 1;
    private static final long TEN_SECONDS = 10_000_000_000L;

    @Option(names = "--rounds", description = "Measured round trips (default ${DEFAULT-VALUE}).", defaultValue = "100000")
    long rounds;

    @Option(names = "--warmup", description = "Round trips before measuring (default ${DEFAULT-VALUE}).", defaultValue = "20000")
    long warmup;

    @Option(names = "--spin", description = "Both sides busy-poll (waitPending(0)) instead of blocking.")
    boolean spin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", description = "Where to put the harness (default /dev/shm).")
    Path parent;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 100_000_000 || warmup < 0 || warmup > 100_000_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1..1e8 and --warmup 0..1e8");
        }
        try (TempHarness harness = new TempHarness(parent)) {
            harness.createDomain(BACKEND, 0, 16, 8);
            harness.createDomain(GUEST, 1, 16, 8);
            Process guest = startGuest(harness.dir());
            try {
                return run(harness, guest);
            } finally {
                if (guest.isAlive()) {
                    guest.destroyForcibly();
                }
                guest.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startGuest(Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EvtchnBenchGuest.class.getName());
        cmd.addAll(List.of(dir.toString(), Integer.toString(GUEST), Integer.toString(BACKEND),
                Long.toString(rounds + warmup), Boolean.toString(spin)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private int run(TempHarness harness, Process guest) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(guest.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            throw new IllegalStateException("the guest process did not start: " + line);
        }
        String[] ready = line.split(" ");
        int guestPort = Integer.parseInt(ready[1]);
        int ref = Integer.parseInt(ready[2]);
        Histogram roundTrip = new Histogram(TEN_SECONDS, 3);
        Histogram toGuest = new Histogram(TEN_SECONDS, 3);
        Histogram toBackend = new Histogram(TEN_SECONDS, 3);
        try (HarnessHypervisor xen = new HarnessHypervisor(harness.dir(), BACKEND);
             GrantTable table = xen.openGrantTable();
             EventChannel events = xen.openEventChannel();
             GrantMapping page = table.map(GUEST, new int[] {ref}, 1, true)) {
            AtomicBuffer shared = page.buffer();
            int port = events.bindInterdomain(GUEST, guestPort);
            if (events.waitPending(TEN_SECONDS) == port) { // Xen raises the port on bind
                events.unmask(port);
            }
            for (long i = 0; i < warmup + rounds; i++) {
                long sent = System.nanoTime();
                shared.putLongVolatile(EvtchnBenchGuest.BACKEND_SENT, sent);
                events.notify(port);
                if (await(events, port, spin, TEN_SECONDS) != port) {
                    throw new IllegalStateException("no answer from the guest in round " + i);
                }
                long woke = System.nanoTime();
                events.unmask(port);
                if (i >= warmup) {
                    roundTrip.recordValue(woke - sent);
                    toBackend.recordValue(Math.max(0, woke - shared.getLongVolatile(EvtchnBenchGuest.GUEST_SENT)));
                    toGuest.recordValue(Math.max(0, shared.getLongVolatile(EvtchnBenchGuest.TO_GUEST_NS)));
                }
            }
        }
        if (guest.waitFor(10, TimeUnit.SECONDS) && guest.exitValue() != 0) {
            throw new IllegalStateException("the guest process failed (exit " + guest.exitValue() + ")");
        }
        out().printf("event channel ping-pong between two processes, %d round trips (%s), in microseconds%n",
                rounds, spin ? "busy-polling" : "blocking in poll(2)");
        out().printf("%-28s %8s %8s %8s %8s%n", "", "p50", "p99", "p99.9", "max");
        print("notify -> wake, to guest", toGuest);
        print("notify -> wake, to backend", toBackend);
        print("round trip", roundTrip);
        out().flush();
        return 0;
    }

    private void print(String what, Histogram h) {
        out().printf("%-28s %8.1f %8.1f %8.1f %8.1f%n", what, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Waits for a port: blocking in the handle's poll, or spinning on waitPending(0) up to the same deadline. */
    static int await(EventChannel events, int port, boolean spin, long timeoutNanos) {
        if (!spin) {
            return events.waitPending(timeoutNanos);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        do {
            int fired = events.waitPending(0);
            if (fired >= 0) {
                return fired;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return -1;
    }
}
