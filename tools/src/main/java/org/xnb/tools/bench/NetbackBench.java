package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The netback issue's figures in one run: guest A's Tx engine feeding guest B's Rx engine on the
 * harness at 64 B, 1514 B and 64 KiB GSO frames, with two threadings, the CPU they cost, and the
 * same machine's memcpy bandwidth to compare the GSO row with.
 *
 * <p>The harness's grant copy is a checked memcpy (no hypercall), so these are the engines' own
 * costs; on Xen each batch adds a {@code GNTTABOP_copy} hypercall.
 */
@Command(name = "netback", mixinStandardHelpOptions = true,
        description = {"Guest A's Tx engine -> guest B's Rx engine on the harness (mock netfronts, one queue each):",
            "Mpps at 64 B, Gbit/s at 1514 B and 64 KiB GSO frames, CPU s per million packets, memcpy for scale."},
        footer = {"", "Example:", "  bin/xnb bench netback --seconds 3 --warmup 1"})
public final class NetbackBench implements Callable<Integer> {
    /** The goal at 64 B frames. */
    static final double GOAL_MPPS = 4.0;
    /** Linux netback with grant copy, the reference figure. */
    static final double LINUX_MPPS = 1.24;

    @Option(names = "--seconds", description = "Measuring time per row (default ${DEFAULT-VALUE}).", defaultValue = "2")
    double seconds;

    @Option(names = "--warmup", description = "Warm-up time before each row (default ${DEFAULT-VALUE}).", defaultValue = "1")
    double warmup;

    @Option(names = "--dir", description = "Where to put the harness directories (default /dev/shm).")
    Path parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!(seconds > 0 && seconds <= 600 && warmup >= 0 && warmup <= 600)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be in (0, 600] and --warmup in [0, 600]");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("xnb bench netback --seconds " + seconds + " --warmup " + warmup
                + (parent != null ? " --dir " + parent : ""));
        var os = ManagementFactory.getOperatingSystemMXBean();
        out.printf("host: %d CPUs, %s %s, Java %s (%s), load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                os.getName(), os.getVersion(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                os.getSystemLoadAverage());
        out.println("guest A (domain 5) TxEngine -> guest B (domain 6) RxEngine, harness grant copy (checked memcpy,"
                + " no hypercall)");
        out.println("threads: 1 = both mock netfronts and both engines on one thread; "
                + "2 = both netfronts on one thread, both engines on another");
        out.printf("%-24s %-14s %8s %8s %11s %15s %6s %6s%n", "threads", "frame", "Mpps", "Gbit/s", "CPU s/Mpkt",
                "backend s/Mpkt", "drops", "bytes");
        out.flush();
        List<NetbackRow> rows = new ArrayList<>();
        for (boolean split : new boolean[] {false, true}) {
            rows.add(print(out, GuestToGuestRun.measure(parent, "64 B", 64, false, split, warmup, seconds)));
            rows.add(print(out, GuestToGuestRun.measure(parent, "1514 B", 1514, false, split, warmup, seconds)));
            rows.add(print(out, GuestToGuestRun.measure(parent, "64 KiB GSO", NetbackFrameShape.GSO_FRAME_BYTES, true,
                    split, warmup, seconds)));
        }
        double memcpy = MemcpyBandwidth.measure(seconds);
        double memcpyGbit = memcpy * 8 / 1e9;
        out.printf("memcpy, one core, 64 KiB blocks between two 1 MiB off-heap buffers: %.2f GB/s = %.1f Gbit/s%n",
                memcpy / 1e9, memcpyGbit);
        for (NetbackRow r : rows) {
            if (r.frame().equals("64 B")) {
                out.printf("goal 64 B >= %.0f Mpps (Linux netback, grant copy: about %.2f): threads %s: %.2f Mpps, %s%n",
                        GOAL_MPPS, LINUX_MPPS, r.threads(), r.mpps(), r.mpps() >= GOAL_MPPS ? "met" : "NOT met");
            }
        }
        for (NetbackRow r : rows) {
            if (r.frame().equals("64 KiB GSO")) {
                double ratio = r.gbitPerSecond() / memcpyGbit;
                out.printf("goal GSO >= 1/2 memcpy: threads %s: %.1f Gbit/s = %.2f of memcpy, %s%n", r.threads(),
                        r.gbitPerSecond(), ratio, ratio >= 0.5 ? "met" : "NOT met");
            }
        }
        out.flush();
        if (rows.stream().anyMatch(r -> !r.intact())) {
            spec.commandLine().getErr().println("xnb bench netback: a frame did not reach guest B intact (see the bytes column)");
            return 1;
        }
        return 0;
    }

    private static NetbackRow print(PrintWriter out, NetbackRow r) {
        String backend = r.backendNanos() < 0 ? "-"
                : String.format("%.3f", NetbackRow.cpuPerMillion(r.backendNanos(), r.packets()));
        out.printf("%-24s %-14s %8.3f %8.2f %11.3f %15s %6d %6s%n", r.threads(), r.frame(), r.mpps(), r.gbitPerSecond(),
                NetbackRow.cpuPerMillion(r.cpuNanos(), r.packets()), backend, r.drops(), r.intact() ? "ok" : "BAD");
        out.flush();
        return r;
    }
}
