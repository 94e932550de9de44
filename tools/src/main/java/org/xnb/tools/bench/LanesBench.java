package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xnb.vnic.lane.PollingMode;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.LaneCounter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 5's numbers, side by side in one run: Crossbow's experiment on the harness (N guests
 * sending to N guests through the in-process switch, real vifs whose lanes run as the daemon
 * runs them, DEDICATED threads) under dynamic polling, interrupt-only and poll-only
 * ({@link PollingMode}); the same lanes idle; and 100 idle guests on one service.
 *
 * <p>CPU is what the OS counts: the whole process ({@code getProcessCpuTime}: lanes, guests,
 * xenstored, everything) and the lane threads alone (the backend's share). The guests run in
 * this process too (one thread per pair), so the process figure is dom0 plus the guests.
 */
@Command(name = "lanes", mixinStandardHelpOptions = true,
        description = {"Crossbow's experiment on the harness (issue 5): N guests send 64 B frames to N",
            "guests through real vif lanes; packets/s and CPU with dynamic polling,",
            "interrupt-only and poll-only lanes; the lanes' CPU when idle; the CPU of many",
            "idle guests; one sender through an etherstub vs through the TAP uplink."},
        footer = {"", "Example:", "  bin/xnb bench lanes --seconds 3 --warmup 1 --guests 1,2,4"})
public final class LanesBench implements Callable<Integer> {
    static final double GOAL_LOAD_RATIO = 2.0;
    static final double GOAL_IDLE_GUESTS_PERCENT = 2.0;
    /** Idle "equal": within this many percent of one core, or within {@link #IDLE_EQUAL_RATIO} of interrupt-only. */
    static final double IDLE_EQUAL_POINTS = 0.1;
    static final double IDLE_EQUAL_RATIO = 0.25;
    static final int MAX_GUESTS = 32;
    static final int MAX_IDLE_GUESTS = 250;
    private static final long DRAIN_MS = 10_000;
    private static final long SETTLE_MS = 300;
    private static final PollingMode[] MODES = {PollingMode.DYNAMIC, PollingMode.INTERRUPT_ONLY, PollingMode.POLL_ONLY};

    @Option(names = "--seconds", description = "Measuring time of each row under load (default ${DEFAULT-VALUE}).",
            defaultValue = "2")
    double seconds;

    @Option(names = "--warmup", description = "Traffic before each row's measurement (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    double warmup;

    @Option(names = "--guests", split = ",", paramLabel = "N",
            description = "Sender guests (as many receivers) per row, a comma list (default ${DEFAULT-VALUE}).",
            defaultValue = "1,2,4")
    List<Integer> guests;

    @Option(names = "--idle-seconds", description = "Measuring time of the idle rows (default ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double idleSeconds;

    @Option(names = "--idle-guests", paramLabel = "N",
            description = "Connected guests with no traffic for the last row (default ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int idleGuests;

    @Option(names = "--no-tap",
            description = "Skip the TAP uplink row (which needs root: a TAP in namespace xnb-bl<pid>, removed after).")
    boolean noTap;

    @Option(names = "--dir", description = "Where to put the harness directories (default /dev/shm).")
    Path parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One measurement: deltas between two snapshots. */
    record Sample(long nanos, long processCpu, long laneCpu, long packets, long intrs, long polls, long blocks) {
        double cpuPercent(long cpu) {
            return 100.0 * cpu / nanos;
        }

        double pps() {
            return packets * 1e9 / nanos;
        }

        double perMillion(long cpu) {
            return packets == 0 ? Double.NaN : cpu / 1e9 / (packets / 1e6);
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        // every vif logs its connect and close at INFO: keep the tables readable
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("org.xnb.netback");
        java.util.logging.Level was = quiet.getLevel();
        quiet.setLevel(java.util.logging.Level.WARNING);
        try {
            return measure();
        } finally {
            quiet.setLevel(was);
        }
    }

    private int measure() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("xnb bench lanes --seconds " + seconds + " --warmup " + warmup + " --guests "
                + String.join(",", guests.stream().map(String::valueOf).toList()) + " --idle-seconds " + idleSeconds
                + " --idle-guests " + idleGuests + (noTap ? " --no-tap" : "") + (parent != null ? " --dir " + parent : ""));
        var os = ManagementFactory.getOperatingSystemMXBean();
        out.printf("host: %d CPUs, %s %s, Java %s, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                os.getName(), os.getVersion(), System.getProperty("java.version"), os.getSystemLoadAverage());
        out.println("guests 1..N send 64 B frames to guests N+1..2N (pair i: i -> N+i, at most " + PairTraffic.WINDOW
                + " in flight) through the switch; one vif per guest, one DEDICATED lane thread per vif;");
        out.println("CPU as the OS counts it, % of one core: proc = the whole process (lanes, guests' threads, xenstored),"
                + " lanes = the lane threads alone");
        out.println("thresholds (xnb.lane.* properties, else the defaults): " + PollingPolicy.fromSystemProperties());
        out.println();
        out.printf("%-15s %6s %9s %7s %10s %7s %11s %8s %9s  %s%n", "policy", "guests", "Mpps", "proc %",
                "proc s/Mp", "lanes %", "lanes s/Mp", "polled", "blocks/s", "frames");
        out.flush();
        int largest = guests.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Map<String, Sample> load = new LinkedHashMap<>();
        Map<PollingMode, Sample> idle = new LinkedHashMap<>();
        boolean allIntact = true;
        for (int n : guests) {
            for (PollingMode mode : MODES) {
                String verdict = runPairs(mode, n, n == largest, load, idle);
                Sample s = load.get(mode.text() + "/" + n);
                printLoad(out, mode, n, s, verdict);
                allIntact &= verdict == null;
            }
        }
        out.println();
        out.printf("idle (no traffic, %.1f s, right after the rows with %d sender guests: the same %d vifs; the process"
                + " CPU clock ticks in 10 ms):%n", idleSeconds, largest, 2 * largest);
        out.printf("%-15s %9s %9s %9s%n", "policy", "lanes %", "proc %", "blocks/s");
        for (Map.Entry<PollingMode, Sample> e : idle.entrySet()) {
            Sample s = e.getValue();
            out.printf("%-15s %9.3f %9.3f %9.1f%n", e.getKey().text(), s.cpuPercent(s.laneCpu()),
                    s.cpuPercent(s.processCpu()), s.blocks() * 1e9 / s.nanos());
        }
        out.flush();
        Sample many = idleGuests();
        out.println();
        out.printf("%d idle guests (connected vifs, DEDICATED lanes, default policy, no traffic, %.1f s): process %.3f %%"
                + " of one core, lanes %.3f %%%n", idleGuests, idleSeconds, many.cpuPercent(many.processCpu()),
                many.cpuPercent(many.laneCpu()));
        out.println();
        out.printf("throughput, one sender, 64 B frames, default policy (%.1f s each; backend %% = lane threads + uplink"
                + " thread):%n", seconds);
        out.printf("%-28s %9s %9s %10s  %s%n", "path", "Mpps", "Mbit/s", "backend %", "note");
        UplinkRows.Row stub = UplinkRows.etherstub(parent, warmup, seconds);
        printUplink(out, stub);
        allIntact &= stub.note().startsWith("ok");
        UplinkRows.Row up = !noTap ? UplinkRows.tap(parent, warmup, seconds)
                : new UplinkRows.Row("TAP uplink: guest -> dom0", Double.NaN, Double.NaN, "skipped: --no-tap");
        printUplink(out, up);
        allIntact &= !up.note().startsWith("BAD");
        out.println();
        for (int n : guests) {
            double dyn = load.get(PollingMode.DYNAMIC.text() + "/" + n).pps();
            double intr = load.get(PollingMode.INTERRUPT_ONLY.text() + "/" + n).pps();
            double ratio = intr > 0 ? dyn / intr : Double.POSITIVE_INFINITY;
            out.printf("goal under load, dynamic >= %.0fx interrupt-only: %d guest(s): %.3f / %.3f Mpps = %.2fx, %s%n",
                    GOAL_LOAD_RATIO, n, dyn / 1e6, intr / 1e6, ratio, ratio >= GOAL_LOAD_RATIO ? "met" : "NOT met");
        }
        Sample dynIdle = idle.get(PollingMode.DYNAMIC);
        Sample intrIdle = idle.get(PollingMode.INTERRUPT_ONLY);
        double d = dynIdle.cpuPercent(dynIdle.laneCpu());
        double i = intrIdle.cpuPercent(intrIdle.laneCpu());
        boolean equal = Math.abs(d - i) <= Math.max(IDLE_EQUAL_POINTS, IDLE_EQUAL_RATIO * i);
        out.printf("goal idle, dynamic lanes' CPU equal to interrupt-only (within %.1f %% of a core or %.0f %%):"
                + " %.3f %% vs %.3f %%, %s%n", IDLE_EQUAL_POINTS, 100 * IDLE_EQUAL_RATIO, d, i, equal ? "met" : "NOT met");
        double p = many.cpuPercent(many.processCpu());
        out.printf("goal %d idle guests < %.0f %% of one core (whole process): %.3f %%, %s%n", idleGuests,
                GOAL_IDLE_GUESTS_PERCENT, p, p < GOAL_IDLE_GUESTS_PERCENT ? "met" : "NOT met");
        out.flush();
        if (!allIntact) {
            spec.commandLine().getErr().println("xnb bench lanes: frames were lost or damaged (see the frames column)");
            return 1;
        }
        return 0;
    }

    private void validate() {
        if (!(seconds > 0 && seconds <= 600 && warmup >= 0 && warmup <= 600 && idleSeconds > 0 && idleSeconds <= 600)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--seconds and --idle-seconds must be in (0, 600] and --warmup in [0, 600]");
        }
        if (guests.isEmpty() || guests.stream().anyMatch(n -> n < 1 || n > MAX_GUESTS)
                || guests.stream().distinct().count() != guests.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--guests must be a comma list of distinct"
                    + " numbers 1.." + MAX_GUESTS + " (sender guests per row, e.g. 1,2,4), not " + guests);
        }
        if (idleGuests < 1 || idleGuests > MAX_IDLE_GUESTS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--idle-guests must be 1.." + MAX_IDLE_GUESTS + ", not " + idleGuests);
        }
    }

    /**
     * One row under load on a fresh host: 2n guests, n pairs; then, if {@code idleToo}, the same
     * lanes with no traffic. Returns null if every frame arrived intact, else what went wrong.
     */
    private String runPairs(PollingMode mode, int n, boolean idleToo, Map<String, Sample> load,
            Map<PollingMode, Sample> idle) throws Exception {
        try (LanesHost host = new LanesHost(parent, 2 * n, PollingPolicy.fromSystemProperties().withMode(mode),
                ThreadingMode.DEDICATED, 0)) {
            int[] ids = new int[2 * n];
            for (int d = 0; d < 2 * n; d++) {
                ids[d] = d + 1;
            }
            List<BenchGuest> g = host.addGuests(ids);
            List<PairTraffic> pairs = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    pairs.add(new PairTraffic(g.get(i), g.get(n + i)));
                }
                Thread.sleep((long) (warmup * 1000));
                Snapshot a = Snapshot.take(host, pairs);
                Thread.sleep((long) (seconds * 1000));
                Snapshot b = Snapshot.take(host, pairs);
                load.put(mode.text() + "/" + n, b.minus(a));
                String verdict = null;
                for (PairTraffic p : pairs) {
                    String v = p.stopAndDrain(DRAIN_MS);
                    verdict = verdict == null ? v : verdict;
                }
                long drops = host.vifSum(v -> v.rx().counters().droppedQueueFull + v.tx().counters().dropped());
                if (verdict == null && drops > 0) {
                    verdict = drops + " frames dropped by the backend";
                }
                if (idleToo) {
                    Thread.sleep(SETTLE_MS);
                    Snapshot c = Snapshot.take(host, pairs);
                    Thread.sleep((long) (idleSeconds * 1000));
                    idle.put(mode, Snapshot.take(host, pairs).minus(c));
                }
                return verdict;
            } finally {
                for (PairTraffic p : pairs) {
                    p.close();
                }
            }
        }
    }

    private Sample idleGuests() throws Exception {
        try (LanesHost host = new LanesHost(parent, idleGuests, PollingPolicy.fromSystemProperties(),
                ThreadingMode.DEDICATED, 0)) {
            int[] ids = new int[idleGuests];
            for (int d = 0; d < idleGuests; d++) {
                ids[d] = d + 1;
            }
            host.addGuests(ids);
            Thread.sleep(SETTLE_MS + 700);
            Snapshot a = Snapshot.take(host, List.of());
            Thread.sleep((long) (idleSeconds * 1000));
            return Snapshot.take(host, List.of()).minus(a);
        }
    }

    private static void printUplink(PrintWriter out, UplinkRows.Row r) {
        if (Double.isNaN(r.mpps())) {
            out.printf("%-28s %9s %9s %10s  %s%n", r.path(), "-", "-", "-", r.note());
        } else {
            out.printf("%-28s %9.3f %9.1f %10.1f  %s%n", r.path(), r.mpps(), r.mbit(), r.backendPercent(), r.note());
        }
        out.flush();
    }

    private static void printLoad(PrintWriter out, PollingMode mode, int n, Sample s, String verdict) {
        long pathed = s.intrs() + s.polls();
        out.printf("%-15s %6d %9.3f %7.1f %10.3f %7.1f %11.3f %7.1f%% %9.0f  %s%n", mode.text(), n, s.pps() / 1e6,
                s.cpuPercent(s.processCpu()), s.perMillion(s.processCpu()), s.cpuPercent(s.laneCpu()),
                s.perMillion(s.laneCpu()), pathed == 0 ? 0.0 : 100.0 * s.polls() / pathed, s.blocks() * 1e9 / s.nanos(),
                verdict == null ? "ok" : "BAD: " + verdict);
        out.flush();
    }

    /** Counters at one instant. */
    private record Snapshot(long t, long processCpu, long laneCpu, long packets, long intrs, long polls, long blocks) {
        static Snapshot take(LanesHost host, List<PairTraffic> pairs) {
            long received = 0;
            for (PairTraffic p : pairs) {
                received += p.received();
            }
            return new Snapshot(System.nanoTime(), LanesHost.processCpuNanos(), LanesHost.cpuNanos(host.laneThreads()),
                    received, host.laneSum(LaneCounter.INTRS), host.laneSum(LaneCounter.POLLS),
                    host.laneSum(LaneCounter.BLKCNT));
        }

        Sample minus(Snapshot a) {
            return new Sample(t - a.t, processCpu - a.processCpu, laneCpu - a.laneCpu, packets - a.packets,
                    intrs - a.intrs, polls - a.polls, blocks - a.blocks);
        }
    }
}
