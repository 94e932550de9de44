package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.netback.vif.Vif;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 6's numbers: guest A -> guest B through real multi-queue vifs (netback's
 * {@code NetbackService}, a lane per queue, default-hash steering), 1/2/4 queues x 1..16 flows,
 * Mpps at 64 B and Gbit/s at 1514 B, and the scaling verdicts.
 */
@Command(name = "multiqueue", mixinStandardHelpOptions = true,
        description = {"Guest A -> guest B through multi-queue vifs (real Vifs, a lane per queue, the daemon's code)",
            "on the harness: Mpps at 64 B and Gbit/s at 1514 B for each number of queues and concurrent flows,",
            "then the scaling verdicts (1 -> 2 queues >= 1.7x with many flows; never lower with more flows)."},
        footer = {"", "Example:", "  bin/xnb bench multiqueue --seconds 1 --warmup 0.5 --queues 1,2,4 --flows 1,2,4,8,16"})
public final class MultiQueueBench implements Callable<Integer> {
    static final double GOAL_SCALING = 1.7;
    static final int MAX_QUEUES = 8;
    static final int MAX_FLOWS = 64;
    static final int[] FRAMES = {64, 1514};
    /** Added to the warm-up of each rig's first row (JIT; fresh vifs start slow under load). */
    static final long FIRST_ROW_EXTRA_WARMUP_MS = 2000;

    @Option(names = "--seconds", description = "Measuring time per row (default ${DEFAULT-VALUE}).", defaultValue = "1")
    double seconds;

    @Option(names = "--warmup", description = "Warm-up time before each row (default ${DEFAULT-VALUE}).", defaultValue = "0.5")
    double warmup;

    @Option(names = "--queues", split = ",", paramLabel = "Q", description = "Queues per vif, a list of 1.." + MAX_QUEUES
            + " (default 1,2,4).")
    List<Integer> queues = List.of(1, 2, 4);

    @Option(names = "--flows", split = ",", paramLabel = "F", description = "Concurrent flows, a list of 1.." + MAX_FLOWS
            + " (default 1,2,4,8,16).")
    List<Integer> flows = List.of(1, 2, 4, 8, 16);

    private int rowNumber;
    /** The number the next rig's first row will get. */
    private int rigFirstRow;

    @Option(names = "--dir", description = "Where to put the harness directories (default /dev/shm).")
    Path parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** netback's INFO lines (a connect and a close per vif and rig) would split the table; held so it stays set. */
    private static final java.util.logging.Logger NETBACK_LOG = java.util.logging.Logger.getLogger("org.xnb.netback");

    @Override
    public Integer call() throws Exception {
        validate();
        java.util.logging.Level level = NETBACK_LOG.getLevel();
        NETBACK_LOG.setLevel(java.util.logging.Level.WARNING);
        try {
            return measureAll();
        } finally {
            NETBACK_LOG.setLevel(level);
        }
    }

    private int measureAll() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("xnb bench multiqueue --seconds " + seconds + " --warmup " + warmup + " --queues " + join(queues)
                + " --flows " + join(flows) + (parent != null ? " --dir " + parent : ""));
        var os = ManagementFactory.getOperatingSystemMXBean();
        int cpus = Runtime.getRuntime().availableProcessors();
        out.printf("host: %d CPUs, %s %s, Java %s (%s), load average %.2f%n", cpus, os.getName(), os.getVersion(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), os.getSystemLoadAverage());
        out.println("guest A (domain 1) -> guest B (domain 2): NetbackService on the harness hypervisor (grant copy ="
                + " checked memcpy, no hypercall), one DEDICATED lane thread per queue per vif, learning switch,");
        out.println("B's queue chosen by netback's default flow hash (no control ring); UDP/IPv4 flows whose source"
                + " ports put flow i on A's and B's queue i mod Q.");
        out.printf("the first row of each queue count warms up %.1f s longer (JIT, fresh vifs).%n",
                FIRST_ROW_EXTRA_WARMUP_MS / 1000.0);
        out.printf("threads: with Q queues, Q guest threads (queue q's: A sends its flows, B receives them; they sleep in"
                + " poll(2) when idle) + 2Q lanes (A's Tx, B's Rx) share %d CPUs:%n", cpus);
        out.println("  1 queue runs 3 threads (1 guest, 2 lanes), so 1 -> 2 queues can scale only as far as the"
                + " cores the 1-queue row leaves idle (the 'cores' column: process CPU / wall time).");
        out.println("guest threads keep A's Tx rings full (no window): netback drops what B's Rx queue cannot hold"
                + " (no Rx back-pressure yet), counted in 'drops'; 'lost' = frames a guest thread stopped waiting for.");
        out.println("'stale' = frames of an earlier row that arrived late (not counted); 'order' = every flow's frames"
                + " in sequence; 'bytes' = one frame in " + MultiQueueGuestThread.SAMPLE + " compared byte for byte.");
        out.println("'held' = unmasks netback held back (XSA-332 guard: events it judged spurious), both vifs, over the row.");
        out.println("'cores' = process CPU / wall time; 'guests' and 'lanes' = the guest threads' and the lane threads'"
                + " share of it (spinning and yielding while idle included).");
        out.printf("%-6s %-5s %-6s %10s %8s %8s %6s %6s %6s %-12s %6s %5s %5s %5s %5s %8s%n", "queues", "flows",
                "frame", "frames", "Mpps", "Gbit/s", "cores", "guests", "lanes", "B queues %", "drops", "lost", "stale",
                "held", "order", "bytes");
        out.flush();
        List<MultiQueueRow> rows = new ArrayList<>();
        for (int q : queues) {
            try (MultiQueueRig rig = new MultiQueueRig(parent, q)) {
                learn(rig);
                rigFirstRow = rowNumber + 1;
                for (int frame : FRAMES) {
                    for (int f : flows) {
                        rows.add(print(out, measure(rig, f, frame)));
                    }
                }
            }
        }
        out.println("guest -> dom0 (TAP): not measured by this command (it needs root, network namespaces and a TAP"
                + " uplink; see docs/benchmarks.md \"Multi-queue (issue 6)\" for iperf3 through TAP-backed guests).");
        table(out, rows);
        verdicts(out, rows);
        out.flush();
        if (rows.stream().anyMatch(r -> !r.intact())) {
            spec.commandLine().getErr().println("xnb bench multiqueue: frames arrived out of order or damaged"
                    + " (see the order and bytes columns)");
            return 1;
        }
        return 0;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (!(seconds > 0 && seconds <= 600 && warmup >= 0 && warmup <= 600)) {
            throw new CommandLine.ParameterException(cl, "--seconds must be in (0, 600] and --warmup in [0, 600]");
        }
        if (queues.isEmpty() || queues.stream().anyMatch(q -> q == null || q < 1 || q > MAX_QUEUES)) {
            throw new CommandLine.ParameterException(cl, "--queues must be a comma-separated list of 1.." + MAX_QUEUES
                    + ": " + queues);
        }
        if (flows.isEmpty() || flows.stream().anyMatch(f -> f == null || f < 1 || f > MAX_FLOWS)) {
            throw new CommandLine.ParameterException(cl, "--flows must be a comma-separated list of 1.." + MAX_FLOWS
                    + ": " + flows);
        }
    }

    /** B sends one broadcast frame so the switch learns B's MAC (A -> B is then unicast, not flooded). */
    private static void learn(MultiQueueRig rig) throws InterruptedException {
        NetfrontDevice b = rig.b.get(0);
        UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(60));
        for (int i = 0; i < 6; i++) {
            frame.putByte(i, (byte) 0xff);
            frame.putByte(6 + i, (byte) (MultiQueueRig.mac(MultiQueueRig.GUEST_B) >>> (40 - 8 * i)));
        }
        frame.putShort(12, (short) 0x0608); // ARP, big-endian 0x0806
        for (int q = 0; q < rig.queues; q++) {
            rig.a.get(q).refillRx();
            rig.b.get(q).refillRx();
        }
        b.send(frame, 0, 60, 0, ExtraInfo.GSO_TYPE_NONE, 0);
        b.pushTx();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.reapTx() == 0 || !b.txIdle()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("netback did not take guest B's first frame within 5 s");
            }
            Thread.sleep(1);
        }
    }

    private MultiQueueRow measure(MultiQueueRig rig, int flowCount, int frame) throws Exception {
        int q = rig.queues;
        MultiQueueFlows f = new MultiQueueFlows(++rowNumber, flowCount, q, frame, MultiQueueRig.mac(MultiQueueRig.GUEST_A),
                MultiQueueRig.mac(MultiQueueRig.GUEST_B));
        int window = Netif.TX_RING_SIZE;
        List<MultiQueueGuestThread> guests = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < q; i++) {
            MultiQueueGuestThread g = new MultiQueueGuestThread(rig.a.get(i), rig.b.get(i), f, i, q, window);
            g.prime();
            if (!g.hasFlows()) {
                continue;
            }
            guests.add(g);
            Thread t = new Thread(g, "xnb-bench-guest-q" + i);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            threads.add(t);
        }
        Vif va = rig.vif(MultiQueueRig.GUEST_A);
        Vif vb = rig.vif(MultiQueueRig.GUEST_B);
        long drops0 = drops(va, vb);
        long held0 = va.deferredUnmasks() + vb.deferredUnmasks();
        threads.forEach(Thread::start);
        // the first row of each rig warms longer (the JIT on the first rig). Under load 10-14 the
        // first row of a rig (1 flow, 64 B) was still 20-60x slower than the same row later:
        // docs/benchmarks.md "Multi-queue (issue 6)", not explained yet
        Thread.sleep((long) (warmup * 1000) + (rowNumber == rigFirstRow ? FIRST_ROW_EXTRA_WARMUP_MS : 0));
        long[] lanes0 = lanePackets(vb);
        long packets0 = received(guests);
        long cpu0 = processCpu();
        java.util.Map<Long, Long> threads0 = threadCpu();
        long t0 = System.nanoTime();
        Thread.sleep(Math.max(1, (long) (seconds * 1000)));
        long packets1 = received(guests);
        long t1 = System.nanoTime();
        long cpu1 = processCpu();
        java.util.Map<Long, Long> threads1 = threadCpu();
        long guestCpu = cpuOf(threads0, threads1, "xnb-bench-guest"); // while the threads live (names)
        long laneCpu = cpuOf(threads0, threads1, "lane-");
        long[] lanes1 = lanePackets(vb);
        for (MultiQueueGuestThread g : guests) {
            g.stop = true;
        }
        for (Thread t : threads) {
            t.join(10_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within 10 s");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("guest thread failed: " + failure.get(), failure.get());
        }
        drain(rig);
        long lost = 0;
        long reordered = 0;
        long corrupt = 0;
        long checked = 0;
        long stale = 0;
        for (MultiQueueGuestThread g : guests) {
            stale += g.stale;
            lost += g.lost;
            reordered += g.reordered;
            corrupt += g.corrupt;
            checked += g.checked;
        }
        return new MultiQueueRow(q, flowCount, frame, packets1 - packets0, t1 - t0, cpu1 - cpu0,
                share(lanes0, lanes1), drops(va, vb) - drops0, lost, reordered, corrupt, checked, stale,
                va.deferredUnmasks() + vb.deferredUnmasks() - held0, guestCpu, laneCpu);
    }

    /** After a row: every frame still in flight is taken (bounded), so the next row starts empty. */
    private static void drain(MultiQueueRig rig) throws InterruptedException {
        UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        long deadline = System.nanoTime() + 5_000_000_000L;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean moved = false;
            boolean idle = true;
            for (int i = 0; i < rig.queues; i++) {
                NetfrontDevice a = rig.a.get(i);
                NetfrontDevice b = rig.b.get(i);
                moved |= a.reapTx() > 0;
                idle &= a.txIdle();
                for (NetfrontDevice d : new NetfrontDevice[] {a, b}) {
                    while (d.receive(sink, 0, sink.capacity()) != 0) {
                        moved = true;
                    }
                    d.refillRx();
                }
            }
            if (moved) {
                quietSince = System.nanoTime();
            } else if (idle && System.nanoTime() - quietSince > 100_000_000L) {
                return;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("guest A's Tx ring did not drain within 5 s after a row");
    }

    private static long received(List<MultiQueueGuestThread> guests) {
        long n = 0;
        for (MultiQueueGuestThread g : guests) {
            n += g.received.get();
        }
        return n;
    }

    private static long[] lanePackets(Vif b) {
        long[] p = new long[b.queueCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = b.rx(i).counters().packets;
        }
        return p;
    }

    private static int[] share(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < before.length; i++) {
            total += after[i] - before[i];
        }
        int[] s = new int[before.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = total == 0 ? 0 : (int) Math.round(100.0 * (after[i] - before[i]) / total);
        }
        return s;
    }

    private static long drops(Vif a, Vif b) {
        long n = 0;
        for (int i = 0; i < a.queueCount(); i++) {
            n += a.tx(i).counters().dropped();
        }
        for (int i = 0; i < b.queueCount(); i++) {
            var c = b.rx(i).counters();
            n += c.droppedQueueFull + c.droppedCarrierOff + c.droppedOversize + c.droppedGsoUnsupported
                    + c.droppedMulticastFilter + c.droppedInvalid + c.droppedExpired + c.droppedPurged + c.copyErrors;
        }
        return n;
    }

    /** CPU time of every live thread whose name starts with {@code prefix}, between the two snapshots. */
    private static long cpuOf(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after, String prefix) {
        var mx = ManagementFactory.getThreadMXBean();
        long n = 0;
        for (var e : after.entrySet()) {
            var info = mx.getThreadInfo(e.getKey());
            if (info != null && info.getThreadName().startsWith(prefix)) {
                n += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return n;
    }

    private static java.util.Map<Long, Long> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long cpu = mx.getThreadCpuTime(id);
            if (cpu >= 0) {
                m.put(id, cpu);
            }
        }
        return m;
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static MultiQueueRow print(PrintWriter out, MultiQueueRow r) {
        StringBuilder share = new StringBuilder();
        for (int s : r.share()) {
            share.append(share.length() == 0 ? "" : "/").append(s);
        }
        out.printf("%-6d %-5d %-6s %10d %8.3f %8.2f %6.2f %6.2f %6.2f %-12s %6d %5d %5d %5d %5s %8s%n", r.queues(),
                r.flows(), r.frameBytes() + " B", r.packets(), r.mpps(), r.gbitPerSecond(), r.cores(),
                r.guestNanos() / (double) r.nanos(), r.laneNanos() / (double) r.nanos(), share, r.drops(), r.lost(),
                r.stale(), r.heldUnmasks(),
                r.reordered() == 0 ? "ok" : "BAD", r.corrupt() == 0 && r.checked() > 0 ? "ok" : "BAD");
        out.flush();
        return r;
    }

    /** Side by side: a row per flow count, a column per queue count, for each frame size. */
    private void table(PrintWriter out, List<MultiQueueRow> rows) {
        StringBuilder head = new StringBuilder(String.format("%-6s", "flows"));
        for (int frame : FRAMES) {
            for (int q : queues) {
                head.append(String.format(" %13s", (frame <= 64 ? "Mpps " : "Gbit/s ") + q + "q"));
            }
        }
        out.println();
        out.println("side by side (64 B: Mpps; 1514 B: Gbit/s):");
        out.println(head);
        for (int f : flows) {
            StringBuilder line = new StringBuilder(String.format("%-6d", f));
            for (int frame : FRAMES) {
                for (int q : queues) {
                    MultiQueueRow r = find(rows, q, f, frame);
                    line.append(String.format(" %13s", r == null ? "-" : String.format("%.3f", r.figure())));
                }
            }
            out.println(line);
        }
    }

    private void verdicts(PrintWriter out, List<MultiQueueRow> rows) {
        int many = flows.stream().mapToInt(Integer::intValue).max().orElse(1);
        int few = flows.stream().mapToInt(Integer::intValue).min().orElse(1);
        for (int frame : FRAMES) {
            String unit = frame <= 64 ? "Mpps" : "Gbit/s";
            MultiQueueRow one = find(rows, 1, many, frame);
            MultiQueueRow two = find(rows, 2, many, frame);
            if (one == null || two == null || many < 2) {
                out.printf("goal 1 -> 2 queues >= %.1fx with many flows, %d B: not measured (needs --queues with 1 and 2"
                        + " and a flow count >= 2)%n", GOAL_SCALING, frame);
            } else {
                double ratio = two.figure() / one.figure();
                out.printf("goal 1 -> 2 queues >= %.1fx with many flows, %d B, %d flows: %.3f -> %.3f %s = %.2fx, %s%n",
                        GOAL_SCALING, frame, many, one.figure(), two.figure(), unit, ratio,
                        ratio >= GOAL_SCALING ? "met" : "NOT met");
            }
        }
        for (int frame : FRAMES) {
            String unit = frame <= 64 ? "Mpps" : "Gbit/s";
            for (int q : queues) {
                MultiQueueRow lo = find(rows, q, few, frame);
                MultiQueueRow hi = find(rows, q, many, frame);
                if (lo == null || hi == null || few == many) {
                    continue;
                }
                double ratio = hi.figure() / lo.figure();
                out.printf("goal never lower with more flows, %d B, %d queue(s): %d flows %.3f -> %d flows %.3f %s"
                        + " = %.2fx, %s%n", frame, q, few, lo.figure(), many, hi.figure(), unit, ratio,
                        ratio >= 1.0 ? "met" : "NOT met");
            }
        }
    }

    private static MultiQueueRow find(List<MultiQueueRow> rows, int q, int f, int frame) {
        for (MultiQueueRow r : rows) {
            if (r.queues() == q && r.flows() == f && r.frameBytes() == frame) {
                return r;
            }
        }
        return null;
    }

    private static String join(List<Integer> values) {
        StringBuilder s = new StringBuilder();
        for (Integer v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }
}
