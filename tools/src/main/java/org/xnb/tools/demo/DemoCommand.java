package org.xnb.tools.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnb.tools.Main;
import org.xnb.tools.demo.GuestProcesses.IperfResult;
import org.xnb.tools.dlstat.LaneTable;
import org.xnb.tools.harness.RunDirectory;
import org.xnb.vnic.stat.CountersFileReader;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;
import org.xnb.vnic.tap.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb demo}: the whole system on a machine without Xen, in well under a minute. It starts
 * the harness in the background as {@code harness up} does (xenstored, three guests with a netfront
 * each, the daemon; TAP-backed guests in namespaces xnb-g1..3 as root, mock guests otherwise), sets
 * limits with the real admin commands (maxbw on vif1.0, a flow with its own maxbw on vif3.0,
 * ip-nospoof on vif1.0), runs traffic (as root ping and iperf3 between the namespaces), shows a
 * live dlstat view, prints what moved, what was limited (measured against the limit) and what was
 * dropped and why, and removes everything ({@code harness down}, also on failure or Ctrl-C). Its
 * last line is the verdict: {@code demo: OK ...} (exit 0) or {@code demo: FAILED - reasons} (exit 1).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A tour of xnb on the harness (no Xen needed): three guests, the daemon, limits and a flow set "
                + "with the admin commands, real traffic, a live dlstat view, a summary; then everything is removed.",
                "As root the guests are TAP-backed kernels in namespaces xnb-g1..xnb-g3 (ping, iperf3); "
                        + "otherwise mock guests. The last line says whether everything worked (exit 0) or what failed (exit 1)."},
        footer = {"", "Examples:", "  bin/xnb demo", "  sudo bin/xnb demo --seconds 8"})
public final class DemoCommand implements Callable<Integer> {
    static final int GUESTS = 3;
    static final long VIF_LIMIT_MBIT = 100;
    static final long FLOW_LIMIT_MBIT = 50;
    static final int FLOW_PORT = 5202;
    static final String SPOOFED = "198.18.0.77";
    /** What the mock guests offer (not root): above each limit, and light enough for two cores. */
    static final long MOCK_VIF_MBIT = 150;
    static final long MOCK_FLOW_MBIT = 80;
    /** The narrow dlstat view: the columns that show traffic, drops and the lanes' modes. */
    private static final LaneCounter[] VIEW = {LaneCounter.IPKTS, LaneCounter.OPKTS, LaneCounter.INTRS,
            LaneCounter.POLLS, LaneCounter.SDROPS};

    @CommandLine.Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "How long the traffic runs and dlstat shows it (3..30; default ${DEFAULT-VALUE}).")
    int seconds = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private Path base;
    private RunDirectory run;
    private GuestProcesses guests;
    private Path adminSocket;
    /** Whether harness up was called: only then does clean-up run harness down (never on another's harness). */
    private volatile boolean started;

    public DemoCommand() {
        this(System.out);
    }

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 3 || seconds > 30) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be 3..30: " + seconds);
        }
        long start = System.nanoTime();
        Path shm = Path.of("/dev/shm");
        base = Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "xnb-demo-");
        run = new RunDirectory(base.resolve("h"));
        adminSocket = run.dir().resolve("admin.sock");
        guests = new GuestProcesses(base);
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                cleanUp();
                out.println();
                out.println("demo: FAILED - interrupted" + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
            }
        }, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: still remove everything
        try {
            tour();
        } catch (Exception e) {
            failures.add("unexpected: " + e);
        } finally {
            cleanUp();
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs (and finds everything cleaned)
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        out.println();
        if (failures.isEmpty()) {
            out.printf(root ? "demo: OK - %d guests, traffic moved, limits held, drops explained, nothing left behind (%.0f s)%n"
                    : "demo: OK - %d mock guests, traffic moved, limits held, drops explained, nothing left behind "
                            + "(not root: no kernels, UDP from the mock guests; %.0f s)%n", GUESTS, took);
            return 0;
        }
        out.println("demo: FAILED - " + String.join("; ", failures));
        return 1;
    }

    private void tour() throws Exception {
        out.println("xnb demo: " + (root ? GUESTS + " guests with TAP-backed kernels in namespaces xnb-g1..xnb-g" + GUESTS
                + " (198.18.0.1-" + GUESTS + "), netback as the daemon"
                : GUESTS + " mock guests (not root: no namespaces or TAP devices), netback as the daemon"));
        List<String> before = Leftovers.namespaces(root);
        if (!before.isEmpty()) {
            // one TAP harness per host (the names are fixed): leave the other one alone
            failures.add("another harness is up here (namespaces " + String.join(", ", before)
                    + "); stop it first with: bin/xnb harness down [--dir DIR]");
            return;
        }
        started = true;
        if (!harnessUp()) {
            return;
        }
        out.println();
        out.println("The admin commands (dladm/flowadm style), against the daemon's socket " + adminSocket + ":");
        admin("show-vnic");
        admin("set-linkprop", "-p", "maxbw=" + VIF_LIMIT_MBIT + "M", "vif1.0");
        admin("set-linkprop", "-p", "protection=ip-nospoof,allowed-ips=198.18.0.1", "vif1.0");
        admin("add-flow", "-l", "vif3.0", "-a", (root ? "transport=tcp" : "transport=udp") + ",remote_port=" + FLOW_PORT, "-p",
                "maxbw=" + FLOW_LIMIT_MBIT + "M", "bulk3");
        admin("show-linkprop", "-o", "LINK,PROPERTY,VALUE,EFFECTIVE", "vif1.0");
        admin("show-flow", "-o", "FLOW,LINK,PROTO,RPORT,MAXBW");
        if (!failures.isEmpty()) {
            return;
        }
        out.println();
        if (root) {
            new RootTraffic().run();
        } else {
            new RootTraffic().mock();
        }
    }

    /** {@code harness up} in-process (its own output kept back: it explains how to stop it by hand). */
    private boolean harnessUp() {
        List<String> args = new ArrayList<>(List.of("harness", "up", "--guests", Integer.toString(GUESTS), "--dir",
                run.dir().toString()));
        if (root) {
            args.add("--tap");
        }
        out.println("$ bin/xnb " + String.join(" ", args));
        if (!root) {
            args.add("--mock-traffic"); // hidden: the mock guests send UDP when the demo says so
        }
        long t0 = System.nanoTime();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int rc;
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        if (rc != 0) {
            out.print((text + err).indent(2));
            failures.add("harness up exited " + rc);
            return false;
        }
        out.printf("  %s (%.1f s): xenstored, %d guests, the daemon (backend.log, serve.log there)%n",
                text.lines().findFirst().orElse("up"), (System.nanoTime() - t0) / 1e9, GUESTS);
        return true;
    }

    /** An admin command run in-process against the harness daemon; its output printed; null when it failed. */
    private String admin(String... args) {
        out.println("$ bin/xnb " + String.join(" ", args));
        String text = quietAdmin(args);
        if (text != null) {
            out.print(text.indent(2));
        }
        return text;
    }

    private String quietAdmin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--admin-socket");
        all.add(2, adminSocket.toString());
        StringWriter buf = new StringWriter();
        PrintWriter pw = new PrintWriter(buf, true);
        int rc = Main.commandLine().setOut(pw).setErr(pw).execute(all.toArray(new String[0]));
        if (rc != 0) {
            out.print(buf.toString().indent(2));
            failures.add(args[0] + " exited " + rc);
            return null;
        }
        return buf.toString();
    }

    /** dlstat's view, narrowed to fit a terminal: the change per second of every lane, {@link #seconds} times. */
    private List<List<LaneStats>> liveView() throws InterruptedException {
        List<List<LaneStats>> ends = new ArrayList<>();
        Path counters = run.dir().resolve("counters");
        out.println("$ bin/xnb dlstat -f " + counters + " -i 1 -c " + seconds + "   (columns narrowed for the demo)");
        try (CountersFileReader reader = CountersFileReader.open(counters)) {
            List<LaneStats> before = reader.lanes();
            ends.add(before);
            for (int i = 0; i < seconds; i++) {
                long t = System.nanoTime();
                Thread.sleep(1000);
                List<LaneStats> now = reader.lanes();
                out.print(LaneTable.format(now, before, System.nanoTime() - t, false, VIEW).indent(2));
                before = now;
            }
            ends.add(before);
        } catch (RuntimeException e) {
            failures.add("dlstat: " + e.getMessage());
        }
        return ends;
    }

    /** One row per link or flow of {@code show-link -s -p -o ...} / {@code show-flow -s -p -o ...}, by name. */
    private Map<String, Map<String, Long>> stats(String command, String fields) {
        Map<String, Map<String, Long>> rows = new HashMap<>();
        String text = quietAdmin(command, "-s", "-p", "-o", fields);
        if (text == null) {
            return rows;
        }
        String[] names = fields.split(",");
        for (String line : text.strip().split("\n")) {
            String[] v = line.split(":");
            Map<String, Long> row = new HashMap<>();
            for (int i = 1; i < names.length && i < v.length; i++) {
                row.put(names[i], v[i].matches("\\d+") ? Long.parseLong(v[i]) : 0L);
            }
            rows.put(v[0], row);
        }
        return rows;
    }

    /** As root: ping and iperf3 between the namespaces while dlstat watches. */
    private final class RootTraffic {
        void run() throws Exception {
            boolean iperf = GuestProcesses.installed("iperf3");
            out.println("Traffic for " + seconds + " s: " + (iperf
                    ? "iperf3 guest 1 -> guest 2 (vif1.0 maxbw " + VIF_LIMIT_MBIT + "M), iperf3 guest 3 -> guest 2 port "
                            + FLOW_PORT + " (flow bulk3 maxbw " + FLOW_LIMIT_MBIT + "M), "
                    : "iperf3 is not installed (apt-get install iperf3), so only ping: rates against limits are not "
                            + "measured; ")
                    + "ping guest 1 -> guest 3, and guest 1 pinging from a spoofed " + SPOOFED);
            CompletableFuture<IperfResult> vif = iperf ? iperfAsync("xnb-g1", 5201) : null;
            CompletableFuture<IperfResult> flow = iperf ? iperfAsync("xnb-g3", FLOW_PORT) : null;
            int pings = seconds * 4;
            Path ping = guests.start("xnb-g1", "ping", "-c", Integer.toString(pings), "-i", "0.25", "-W", "2",
                    "198.18.0.3");
            // guest 1 takes an address it was not given: ip-nospoof drops what it sends from it
            Commands.run(Duration.ofSeconds(10), "ip", "netns", "exec", "xnb-g1", "ip", "addr", "add", SPOOFED + "/32",
                    "dev", "eth0");
            Path spoof = guests.start("xnb-g1", "ping", "-c", "3", "-i", "0.3", "-W", "1", "-I", SPOOFED, "198.18.0.2");
            out.println();
            liveView();
            IperfResult vifResult = vif == null ? null : vif.get(seconds + 40L, TimeUnit.SECONDS);
            IperfResult flowResult = flow == null ? null : flow.get(seconds + 40L, TimeUnit.SECONDS);
            guests.await(ping, 10);
            guests.await(spoof, 10);

            out.println();
            admin("show-link", "-s", "-o", "LINK,IPKTS,RBYTES,OPKTS,OBYTES,SDROPS,IPSPOOFED");
            admin("show-flow", "-s");
            Map<String, Map<String, Long>> links = stats("show-link",
                    "LINK,IPKTS,RBYTES,OPKTS,OBYTES,SDROPS,MACSPOOFED,IPSPOOFED,DHCPSPOOFED,RESTRICTED,MALFORMED,MTUDROPS");
            Map<String, Map<String, Long>> flows = stats("show-flow", "FLOW,LINK,IPKTS,RBYTES,OPKTS,OBYTES,DROPS");
            summary(links, flows, vifResult, flowResult, GuestProcesses.read(ping), pings);
        }

        /**
         * Not root: the mock guests send UDP (harness up's hidden --mock-traffic): guest 1 -> guest 2 and
         * guest 3 -> guest 1 in flow bulk3, each offering 200 Mbit/s; the rates are the lanes' own counters.
         */
        void mock() throws Exception {
            out.println("Traffic for " + seconds + " s (not root: mock guests, no kernels, so no ping or iperf3): "
                    + "guest 1 -> guest 2 UDP at " + MOCK_VIF_MBIT + " Mbit/s (vif1.0 maxbw " + VIF_LIMIT_MBIT + "M), guest 3 -> "
                    + "guest 1 UDP port " + FLOW_PORT + " at " + MOCK_FLOW_MBIT + " Mbit/s (flow bulk3 maxbw " + FLOW_LIMIT_MBIT + "M)");
            Path g1 = run.dir().resolve("traffic-g1");
            Path g3 = run.dir().resolve("traffic-g3");
            Files.writeString(g1, "2 5201 " + MOCK_VIF_MBIT + "\n");
            Files.writeString(g3, "1 " + FLOW_PORT + " " + MOCK_FLOW_MBIT + "\n");
            out.println();
            List<List<LaneStats>> ends;
            long flowBefore;
            long flowAfter;
            long t0;
            long t1;
            try {
                Thread.sleep(300); // the guests look at their file every 100 ms
                t0 = System.nanoTime();
                flowBefore = stats("show-flow", "FLOW,OBYTES").getOrDefault("bulk3", Map.of()).getOrDefault("OBYTES", 0L);
                ends = liveView();
                flowAfter = stats("show-flow", "FLOW,OBYTES").getOrDefault("bulk3", Map.of()).getOrDefault("OBYTES", 0L);
                t1 = System.nanoTime();
            } finally {
                Files.deleteIfExists(g1);
                Files.deleteIfExists(g3);
            }
            Thread.sleep(300);
            out.println();
            admin("show-link", "-s", "-o", "LINK,IPKTS,RBYTES,OPKTS,OBYTES,SDROPS,IPSPOOFED");
            admin("show-flow", "-s");
            Map<String, Map<String, Long>> links = stats("show-link",
                    "LINK,IPKTS,RBYTES,OPKTS,OBYTES,SDROPS,MACSPOOFED,IPSPOOFED,DHCPSPOOFED,RESTRICTED,MALFORMED,MTUDROPS");
            Map<String, Map<String, Long>> flows = stats("show-flow", "FLOW,LINK,IPKTS,RBYTES,OPKTS,OBYTES,DROPS");
            out.println();
            out.println("Summary");
            moved(links);
            if (ends.size() == 2) {
                // what vif1.0's lane took from guest 1, and what reached guest 1 (only bulk3 sends to it)
                double s = seconds;
                limited("vif1.0 maxbw=" + VIF_LIMIT_MBIT + "M (guest 1 -> guest 2, vif1.0 RBYTES/s)",
                        rate(ends, "vif1.0", LaneCounter.RBYTES, s), VIF_LIMIT_MBIT);
                long passed = flowAfter - flowBefore;
                limited("flow bulk3 maxbw=" + FLOW_LIMIT_MBIT + "M on vif3.0 (guest 3 -> guest 1, the flow's OBYTES/s)",
                        new IperfResult(passed, passed * 8 / ((t1 - t0) / 1e9), null), FLOW_LIMIT_MBIT);
            }
            drops(links, flows, false);
        }

        private void moved(Map<String, Map<String, Long>> links) {
            long frames = 0;
            long bytes = 0;
            for (int g = 1; g <= GUESTS; g++) {
                Map<String, Long> l = links.getOrDefault("vif" + g + ".0", Map.of());
                frames += l.getOrDefault("IPKTS", 0L);
                bytes += l.getOrDefault("RBYTES", 0L);
                out.printf("  moved:   vif%d.0 (guest %d) sent %,d frames (%,d bytes), received %,d frames (%,d bytes)%n",
                        g, g, l.getOrDefault("IPKTS", 0L), l.getOrDefault("RBYTES", 0L), l.getOrDefault("OPKTS", 0L),
                        l.getOrDefault("OBYTES", 0L));
            }
            if (frames == 0) {
                failures.add("no frame went through netback");
            }
            totalFrames = frames;
            totalBytes = bytes;
        }

        private long totalFrames;
        private long totalBytes;

        private IperfResult rate(List<List<LaneStats>> ends, String link, LaneCounter c, double secondsRun) {
            long bytes = sum(ends.get(1), link, c) - sum(ends.get(0), link, c);
            return new IperfResult(bytes, bytes * 8 / secondsRun, null);
        }

        private long sum(List<LaneStats> lanes, String link, LaneCounter c) {
            return lanes.stream().filter(l -> l.link().equals(link)).mapToLong(l -> l.get(c)).sum();
        }

        private CompletableFuture<IperfResult> iperfAsync(String from, int port) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return guests.iperf(from, "xnb-g2", "198.18.0.2", port, seconds);
                } catch (Exception e) {
                    return new IperfResult(0, 0, "iperf3 from " + from + ": " + e);
                }
            });
        }

        private void summary(Map<String, Map<String, Long>> links, Map<String, Map<String, Long>> flows,
                IperfResult vif, IperfResult flow, String ping, int pings) {
            out.println();
            out.println("Summary");
            moved(links);
            String loss = ping.lines().filter(x -> x.contains("packet loss")).findFirst().orElse("no ping summary").strip();
            out.println("  ping guest 1 -> guest 3: " + loss);
            if (!loss.startsWith(pings + " packets transmitted, " + pings + " received")) {
                failures.add("ping guest 1 -> guest 3 lost replies: " + loss);
            }
            if (vif != null) {
                limited("vif1.0 maxbw=" + VIF_LIMIT_MBIT + "M (iperf3 guest 1 -> guest 2)", vif, VIF_LIMIT_MBIT);
                limited("flow bulk3 maxbw=" + FLOW_LIMIT_MBIT + "M on vif3.0 (iperf3 guest 3 -> guest 2:" + FLOW_PORT + ")",
                        flow, FLOW_LIMIT_MBIT);
            } else {
                out.println("  limited: not measured (iperf3 is not installed: apt-get install iperf3)");
            }
            drops(links, flows, vif != null);
        }

        private void drops(Map<String, Map<String, Long>> links, Map<String, Map<String, Long>> flows, boolean traffic) {
            // a flow's OPKTS are what the guest sent in it (the link's IPKTS); its DROPS are its shaper's
            Map<String, Long> f = flows.getOrDefault("bulk3", Map.of());
            long flowDrops = f.getOrDefault("DROPS", 0L);
            out.printf("  limited: vif1.0's lane waited for bandwidth tokens %,d times (THROTTLED): the guest's Tx ring "
                    + "backs up, nothing is dropped%n", throttled("vif1.0"));
            out.printf("  dropped: flow bulk3: %,d of the %,d frames guest 3 sent in it (the flow's queue over its maxbw: "
                    + "CoDel drops%s)%n", flowDrops, f.getOrDefault("OPKTS", 0L) + flowDrops, root ? ", TCP slows down" : "");
            if (f.getOrDefault("OPKTS", 0L) == 0 && traffic) {
                failures.add("flow bulk3 classified no frame");
            }
            Map<String, Long> v1 = links.getOrDefault("vif1.0", Map.of());
            long spoofed = v1.getOrDefault("IPSPOOFED", 0L);
            out.printf("  dropped: vif1.0: %d IPSPOOFED (protection=ip-nospoof allows 198.18.0.1 only; %s)%n", spoofed,
                    root ? "guest 1 pinged 3 times from " + SPOOFED : "the mock guest sends from 198.18.0.1 only");
            if (spoofed < 1 && root) {
                failures.add("the spoofed pings were not dropped as IPSPOOFED");
            }
            for (int g = 1; g <= GUESTS; g++) {
                String link = "vif" + g + ".0";
                Map<String, Long> l = links.getOrDefault(link, Map.of());
                long explained = l.getOrDefault("IPSPOOFED", 0L) + (g == 3 ? flowDrops : 0);
                long other = l.getOrDefault("SDROPS", 0L) - explained;
                String reasons = reasons(l);
                if (other > 0 || !reasons.isEmpty()) {
                    out.printf("  dropped: %s: %,d more%s%n", link, other, reasons.isEmpty()
                            ? " on the way to guest " + g + " (no room in its Rx ring)" : reasons);
                }
            }
            out.printf("  total:   %,d frames, %,d bytes from the guests through netback%n", totalFrames, totalBytes);
        }

        /** The lanes' THROTTLED counter of {@code link}, summed, from the daemon's counters file. */
        private long throttled(String link) {
            try (CountersFileReader reader = CountersFileReader.open(run.dir().resolve("counters"))) {
                return reader.lanes().stream().filter(s -> s.link().equals(link))
                        .mapToLong(s -> s.get(LaneCounter.THROTTLED)).sum();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        private String reasons(Map<String, Long> l) {
            StringBuilder b = new StringBuilder();
            for (String k : List.of("MACSPOOFED", "DHCPSPOOFED", "RESTRICTED", "MALFORMED", "MTUDROPS")) {
                if (l.getOrDefault(k, 0L) > 0) {
                    b.append(", ").append(k).append(' ').append(l.get(k));
                }
            }
            return b.toString();
        }

        private void limited(String what, IperfResult r, long limitMbit) {
            if (r.error() != null) {
                failures.add(r.error());
                out.println("  limited: " + what + ": " + r.error());
                return;
            }
            double mbit = r.bitsPerSecond() / 1e6;
            boolean held = mbit <= limitMbit * 1.05;
            boolean moved = mbit >= limitMbit * 0.5;
            out.printf("  limited: %s: measured %.1f Mbit/s against a limit of %d (%.0f%%), %,d bytes: %s%n", what, mbit,
                    limitMbit, 100 * mbit / limitMbit, r.bytes(), held && moved ? "held"
                    : held ? (root ? "too slow" : "held (the mock guests could not offer more on this CPU)") : "NOT held");
            if (!held) {
                failures.add(String.format("%s: %.1f Mbit/s is over the limit", what, mbit));
            } else if (!moved && root) {
                failures.add(String.format("%s: only %.1f Mbit/s (under half the limit)", what, mbit));
            }
        }
    }

    /** Everything the demo started goes: guest programs, then {@code harness down}; then checks nothing is left. */
    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true) || run == null) {
            return;
        }
        int ended = guests.stopAll();
        if (!started) {
            deleteQuietly(base);
            return;
        }
        out.println();
        out.println("$ bin/xnb harness down --dir " + run.dir() + (ended > 0 ? "   (" + ended + " guest program(s) ended first)" : ""));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Main.commandLine().execute("harness", "down", "--dir", run.dir().toString());
        } finally {
            System.setOut(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text.indent(2));
        deleteQuietly(base);
        List<String> left = Leftovers.find(run, root);
        if (guests.alive() > 0) {
            left.add(guests.alive() + " guest program(s)");
        }
        if (Files.exists(base)) {
            left.add("directory " + base);
        }
        if (left.isEmpty()) {
            out.println("  nothing left: no xnb-g*/xnb-dom0 namespace, no TAP, no process, no directory");
        } else {
            failures.add("left behind: " + String.join(", ", left));
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // reported by the leftover check
        }
    }
}
