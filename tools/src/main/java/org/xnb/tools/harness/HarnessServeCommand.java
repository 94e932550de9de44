package org.xnb.tools.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.tap.NetfrontGuest;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.vif.NetbackService;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb harness serve} (hidden; {@code harness up} starts it in the background): one
 * simulated Xen host in the foreground until SIGTERM. It creates the hypervisor in DIR (domain 0
 * and guests 1..N), serves xenstored on DIR/xenstored.sock, introduces the guests, writes each
 * guest's vif 0 as libxl does ({@link VifNodes}, bridge {@code xnb0}) and starts each guest's
 * netfront ({@link NetfrontGuest}), TAP-backed in namespace xnb-gN with {@code --tap}. The
 * backend is another process ({@code xnb daemon --harness DIR}), or in this one with
 * {@code --in-process-backend}.
 */
@Command(name = "serve", hidden = true, mixinStandardHelpOptions = true,
        description = "Run a simulated host (xenstored, hypervisor, guests) in the foreground; harness up uses it.",
        footer = {"", "Example:", "  bin/xnb harness serve --dir /tmp/h --guests 2 --in-process-backend"})
public final class HarnessServeCommand implements Callable<Integer> {
    /** Event-channel ports of the backend domain: two per vif and spare. */
    static final int BACKEND_PORTS = 1024;
    static final int GUEST_PORTS = 16;
    public static final String BRIDGE = "xnb0";

    @Option(names = "--dir", paramLabel = "DIR", description = "Harness directory (default: ${DEFAULT-VALUE}).")
    Path dir = RunDirectory.DEFAULT;

    @Option(names = "--guests", paramLabel = "N", defaultValue = "2", description = "Guests (domids 1..N).")
    int guests;

    @Option(names = "--tap", description = "Give every guest a TAP-backed kernel in namespace xnb-gN.")
    boolean tap;

    @Option(names = "--mock-traffic", description = "Guests without --tap send UDP while DIR/traffic-gN says so (MockTraffic).")
    boolean mockTraffic;

    @Option(names = "--in-process-backend", description = "Run netback (no uplink) in this process.")
    boolean inProcessBackend;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "Netfront queues each guest asks for (1.." + MAX_QUEUES + "; the backend may give fewer).")
    int queues;

    /** Queues a guest may ask for: split channels take 2 of its {@value #GUEST_PORTS} ports each. */
    static final int MAX_QUEUES = GUEST_PORTS / 2;

    @Override
    public Integer call() throws Exception {
        if (guests < 1 || guests > 250) {
            throw new IllegalArgumentException("--guests must be 1..250 (addresses 198.18.0.N): " + guests);
        }
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("--queues must be 1.." + MAX_QUEUES + ": " + queues);
        }
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs);
        RunDirectory run = new RunDirectory(abs);
        List<AutoCloseable> open = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(open), "harness-shutdown"));
        HarnessDirectory host = HarnessDirectory.create(abs);
        open.add(host);
        host.createDomain(0, 0, 1024, BACKEND_PORTS);
        for (int g = 1; g <= guests; g++) {
            host.createDomain(g, queues * NetfrontDevice.PAGES, queues * NetfrontDevice.GRANTS, GUEST_PORTS);
        }
        XenstoredServer xenstored = XenstoredServer.start(run.xenstoredSocket());
        open.add(xenstored);
        XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(run.xenstoredSocket()));
        open.add(dom0);
        VifNodes nodes = new VifNodes(dom0);
        for (int g = 1; g <= guests; g++) {
            xenstored.introduceDomain(g);
            dom0.write("/local/domain/" + g + "/name", "xnb-g" + g);
            nodes.addVif(g, 0, Map.of("bridge", BRIDGE));
        }
        if (inProcessBackend) {
            XenstoreClient backendXs = XenstoreClient.connect(UnixSocketTransport.connect(run.xenstoredSocket()));
            HarnessHypervisor hv = new HarnessHypervisor(abs, 0);
            open.add(backendXs);
            open.add(hv);
            NetbackService netback = NetbackService.start(backendXs, hv, 0, org.xnb.netback.Clock.SYSTEM,
                    org.xnb.netback.vif.RateHook.NONE, null, queues);
            open.add(netback);
            open.add(() -> netback.vifs().vifs().forEach((id, vif) -> System.out.println("harness: backend " + id
                    + " tx packets " + vif.tx().counters().packets + " dropped " + vif.tx().counters().dropped()
                    + ", rx packets " + vif.rx().counters().packets + " dropped (queue full) "
                    + vif.rx().counters().droppedQueueFull + ", other drops " + (vif.rx().counters().droppedInvalid
                    + vif.rx().counters().droppedOversize + vif.rx().counters().droppedGsoUnsupported))));
        }
        for (int g = 1; g <= guests; g++) {
            NetfrontGuest guest = NetfrontGuest.start(abs, run.xenstoredSocket(), g, 0, tap, queues);
            if (mockTraffic && !tap) {
                guest.sending(new MockTraffic(abs, g));
            }
            open.add(guest);
        }
        System.out.println("harness: serving " + guests + " guest(s) in " + abs + (tap ? " with TAP kernels" : ""));
        System.out.flush();
        xenstored.awaitStop();
        return 0;
    }

    /** Newest first: guests, backend, xenstored, the host's mappings. */
    private static synchronized void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                AutoCloseable c = open.get(i);
                if (c instanceof NetfrontGuest g) {
                    System.out.println("harness: " + g.describe());
                }
                c.close();
            } catch (Exception e) {
                System.err.println("harness: closing: " + e);
            }
        }
        open.clear();
        System.out.println("harness: stopped");
        System.out.flush();
    }
}
