package org.xnb.tools.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.tools.Main;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb harness up}: a simulated Xen host with N guests and the backend, in the background.
 * Starts {@code harness serve} (xenstored, hypervisor, guests) and the backend
 * ({@code daemon --harness DIR --link xnb0=tap,netns=xnb-dom0,...}), each detached with its pid
 * and log in DIR, then waits until every vif is Connected on both ends. On a failure it says which
 * log to read and leaves everything for {@code harness down}.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a simulated Xen host in the background: xenstored, N guests with a netfront each, "
                + "and netback; return when every vif is connected.",
                "With --tap every guest's kernel is a TAP device in namespace xnb-gN (198.18.0.N/24, 2001:2::N/64) "
                        + "and dom0's side is namespace xnb-dom0 (198.18.0.254/24)."},
        footer = {"", "Example:", "  bin/xnb harness up --guests 2 --tap --queues 2",
                "  ip netns exec xnb-g1 ping -c 3 198.18.0.2", "  bin/xnb harness down"})
public final class HarnessUpCommand implements Callable<Integer> {
    public static final String DOM0_NAMESPACE = "xnb-dom0";
    public static final String DOM0_ADDRESS = "198.18.0.254";
    static final Duration CONNECT_WAIT = Duration.ofSeconds(90);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--guests", paramLabel = "N", defaultValue = "2", description = "Guests, domids 1..N (default 2).")
    int guests;

    @Option(names = "--tap", description = "TAP-backed guests in network namespaces xnb-g1..xnb-gN.")
    boolean tap;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the host's files, pids and logs go (default: ${DEFAULT-VALUE}).")
    Path dir = RunDirectory.DEFAULT;

    @Option(names = "--mock-traffic", hidden = true,
            description = "Without --tap: guest N sends UDP while DIR/traffic-gN holds 'PEER PORT MBIT' (bin/xnb demo).")
    boolean mockTraffic;

    @Option(names = "--in-process-backend", hidden = true, description = "Run netback inside the harness process.")
    boolean inProcessBackend;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "Netfront queues per guest, each a lane of netback (1.." + HarnessServeCommand.MAX_QUEUES
                    + "; default ${DEFAULT-VALUE}); the daemon offers N (--max-queues).")
    int queues;

    @Override
    public Integer call() throws Exception {
        try {
            return up();
        } catch (IllegalStateException e) {
            // an expected refusal or failure: its message says what to do, no exception class needed
            spec.commandLine().getErr().println("harness up: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private int up() throws Exception {
        if (guests < 1 || guests > 250) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--guests must be 1..250: " + guests);
        }
        if (queues < 1 || queues > HarnessServeCommand.MAX_QUEUES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--queues must be 1.."
                    + HarnessServeCommand.MAX_QUEUES + " (netfront queues per guest): " + queues);
        }
        RunDirectory run = new RunDirectory(dir.toAbsolutePath());
        refuseIfUp(run);
        if (tap && !"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("--tap makes network namespaces and TAP devices: run as root");
        }
        boolean daemonBackend = !inProcessBackend && Main.commandLine().getSubcommands().containsKey("daemon");
        Files.createDirectories(run.dir());
        List<String> serveArgs = new ArrayList<>(List.of("harness", "serve", "--dir", run.dir().toString(),
                "--guests", Integer.toString(guests), "--queues", Integer.toString(queues)));
        if (tap) {
            serveArgs.add("--tap");
        }
        if (mockTraffic && !tap) {
            serveArgs.add("--mock-traffic");
        }
        if (!daemonBackend) {
            serveArgs.add("--in-process-backend");
        }
        Process serve = DetachedProcess.start(DetachedProcess.xnb(serveArgs), run.log(RunDirectory.SERVE));
        run.writePid(RunDirectory.SERVE, serve.pid());
        Process backend = null;
        if (daemonBackend) {
            connectDom0(run, serve, System.nanoTime() + CONNECT_WAIT.toNanos()).close();
            List<String> args = new ArrayList<>(List.of("daemon", "--harness", run.dir().toString(),
                    "--max-queues", Integer.toString(queues), "--link"));
            if (tap) {
                GuestNamespace.create(DOM0_NAMESPACE);
                args.add(HarnessServeCommand.BRIDGE + "=tap,netns=" + DOM0_NAMESPACE + ",address=" + DOM0_ADDRESS + "/24");
            } else {
                args.add(HarnessServeCommand.BRIDGE + "=etherstub");
            }
            backend = DetachedProcess.start(DetachedProcess.xnb(args), run.log(RunDirectory.BACKEND));
            run.writePid(RunDirectory.BACKEND, backend.pid());
        }
        awaitConnected(run, serve, backend);
        printHowTo(run, daemonBackend);
        return 0;
    }

    private static void refuseIfUp(RunDirectory run) {
        for (String name : run.processNames()) {
            Optional<ProcessHandle> p = run.live(name);
            if (p.isPresent()) {
                throw new IllegalStateException("a harness is already up in " + run.dir() + " (" + name + " pid "
                        + p.get().pid() + "); stop it with: bin/xnb harness down" + downDirArg(run));
            }
        }
        boolean staleNamespace = GuestNamespace.list("xnb-").stream()
                .anyMatch(ns -> HarnessDownCommand.OUR_NAMESPACE.matcher(ns).matches());
        if (Files.exists(run.dir().resolve("hypervisor")) || staleNamespace) {
            throw new IllegalStateException("a stale harness is left in " + run.dir() + " or as namespaces xnb-gN/xnb-dom0"
                    + " (its processes are gone); clean it with: bin/xnb harness down" + downDirArg(run));
        }
    }

    static String downDirArg(RunDirectory run) {
        return run.dir().equals(RunDirectory.DEFAULT) ? "" : " --dir " + run.dir();
    }

    private static void awaitSocket(RunDirectory run, Process serve) throws InterruptedException {
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        while (!Files.exists(run.xenstoredSocket())) {
            checkAlive(run, RunDirectory.SERVE, serve);
            if (System.nanoTime() > deadline) {
                throw failure(run, RunDirectory.SERVE, "xenstored did not start within " + CONNECT_WAIT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private void awaitConnected(RunDirectory run, Process serve, Process backend) throws Exception {
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        try (XenstoreClient xs = connectDom0(run, serve, deadline)) {
            while (true) {
                checkAlive(run, RunDirectory.SERVE, serve);
                if (backend != null) {
                    checkAlive(run, RunDirectory.BACKEND, backend);
                }
                String waiting = firstUnconnected(xs);
                if (waiting == null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    String what = "not connected within " + CONNECT_WAIT.toSeconds() + " s: " + waiting;
                    if (backend != null) {
                        what += "\n--- last lines of " + run.log(RunDirectory.BACKEND) + ":\n" + run.tail(RunDirectory.BACKEND, 20);
                    }
                    throw failure(run, RunDirectory.SERVE, what);
                }
                Thread.sleep(100);
            }
        }
    }

    /** dom0's connection, retried while the socket exists but xenstored is not listening yet. */
    private static XenstoreClient connectDom0(RunDirectory run, Process serve, long deadline) throws InterruptedException {
        while (true) {
            awaitSocket(run, serve);
            try {
                return XenstoreClient.connect(UnixSocketTransport.connect(run.xenstoredSocket()));
            } catch (IOException e) {
                checkAlive(run, RunDirectory.SERVE, serve);
                if (System.nanoTime() > deadline) {
                    throw failure(run, RunDirectory.SERVE, "cannot connect to " + run.xenstoredSocket() + ": " + e.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The first vif not Connected on both ends, described; null when all are. */
    private String firstUnconnected(XenstoreClient xs) {
        for (int g = 1; g <= guests; g++) {
            String be = read(xs, VifNodes.backend(g, 0) + "/state");
            String fe = read(xs, VifNodes.frontend(g, 0) + "/state");
            if (!"4".equals(be) || !"4".equals(fe)) {
                String error = read(xs, VifNodes.errorNode(g, 0));
                return "vif " + g + "/0 backend state " + be + ", frontend state " + fe
                        + (error == null ? "" : " (backend error: " + error + ")");
            }
        }
        return null;
    }

    private static String read(XenstoreClient xs, String path) {
        try {
            return xs.readString(path).trim();
        } catch (XenstoreException e) {
            return null;
        }
    }

    private static void checkAlive(RunDirectory run, String name, Process p) {
        if (!p.isAlive()) {
            throw failure(run, name, name + " process exited with status " + p.exitValue());
        }
    }

    private static IllegalStateException failure(RunDirectory run, String log, String what) {
        return new IllegalStateException("harness up failed: " + what + "\n--- last lines of " + run.log(log) + ":\n"
                + run.tail(log, 20) + "\n--- logs: " + run.dir() + "/*.log; clean up with: bin/xnb harness down"
                + downDirArg(run));
    }

    private void printHowTo(RunDirectory run, boolean daemonBackend) throws IOException {
        System.out.println("harness: " + guests + " guest(s) connected; files, pids and logs in " + run.dir());
        if (tap) {
            for (int g = 1; g <= guests; g++) {
                System.out.println("  guest " + g + ": ip netns exec " + GuestNamespace.name(g) + " ...   eth0 "
                        + GuestNamespace.ipv4(g) + "/24, " + GuestNamespace.ipv6(g) + "/64");
            }
            if (daemonBackend) {
                System.out.println("  dom0:    ip netns exec " + DOM0_NAMESPACE + " ...   " + HarnessServeCommand.BRIDGE
                        + " " + DOM0_ADDRESS + "/24");
            }
            int other = guests > 1 ? 2 : 1;
            System.out.println("try:  ip netns exec " + GuestNamespace.name(1) + " ping -c 3 " + GuestNamespace.ipv4(other));
            if (daemonBackend) {
                System.out.println("      ip netns exec " + GuestNamespace.name(1) + " ping -c 3 " + DOM0_ADDRESS);
            }
        }
        System.out.println((tap ? "      " : "try:  ") + "XENSTORED_PATH=" + run.xenstoredSocket()
                + " xenstore-ls -fp /local/domain/0/backend");
        System.out.println("stop: bin/xnb harness down" + downDirArg(run));
    }
}
