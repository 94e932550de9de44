package org.xnb.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.agrona.concurrent.SystemNanoClock;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.xenstored.XenstoredConfig;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.Clock;
import org.xnb.netback.vif.NetbackService;
import org.xnb.netback.vif.PortSelector;
import org.xnb.netback.vif.RateHook;
import org.xnb.netback.vif.Vif;
import org.xnb.netback.xenbus.VifId;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * A simulated host with netback as the daemon runs it, for {@code xnb bench lanes}: the harness
 * hypervisor in a scratch directory, the harness xenstored in this process, a toolstack
 * connection writing each guest's vif 0 as libxl does, and a {@link NetbackService} (one switch,
 * every vif a lane of a {@link LaneScheduler} with the row's {@link PollingPolicy}). Guests are
 * {@link BenchGuest}s connecting through xenbus. Closed in reverse order.
 */
final class LanesHost implements AutoCloseable {
    static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int BACKEND_PORTS = 4096;

    private final ScratchDirectory scratch;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final XenstoredServer xenstored;
    private final VifNodes toolstack;
    private final NetbackService service;
    private final List<BenchGuest> guests = new ArrayList<>();
    private final String bridge;

    /**
     * @param parent  where the harness directory goes (null: /dev/shm when there is one)
     * @param domains guests this host may have (domids 1..domains)
     */
    LanesHost(Path parent, int domains, PollingPolicy policy, ThreadingMode mode, int sharedThreads) throws IOException {
        this(parent, domains, policy, mode, sharedThreads, null, null);
    }

    /**
     * As above, the vifs joining {@code links} (a daemon's declared links, by their xenstore
     * {@code bridge} key {@code bridge}) instead of one default switch; null, null: one switch.
     */
    LanesHost(Path parent, int domains, PollingPolicy policy, ThreadingMode mode, int sharedThreads,
            PortSelector links, String bridge) throws IOException {
        this.bridge = bridge;
        scratch = new ScratchDirectory(parent, "xnb-bench-lanes-");
        try {
            HarnessDirectory h = HarnessDirectory.create(scratch.path());
            opened.add(h);
            h.createDomain(0, 0, 1024, BACKEND_PORTS);
            for (int d = 1; d <= domains; d++) {
                h.createDomain(d, NetfrontDevice.PAGES, NetfrontDevice.GRANTS, 16);
            }
            XenstoredConfig config = XenstoredConfig.DEFAULTS.withMaxConnections(2 * domains + 64);
            xenstored = XenstoredServer.start(scratch.path().resolve("xs.sock"), config);
            opened.add(xenstored);
            XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(xenstored.socketPath()));
            opened.add(dom0);
            toolstack = new VifNodes(dom0);
            CountersFile counters = CountersFile.inMemory(Math.max(64, (2 * domains + 8) * LaneCounter.count()));
            opened.add(counters);
            LaneScheduler lanes = new LaneScheduler(mode, counters, policy, SystemNanoClock.INSTANCE, sharedThreads);
            opened.add(lanes);
            XenstoreClient backendXs = XenstoreClient.connect(UnixSocketTransport.connect(xenstored.socketPath()));
            opened.add(backendXs);
            HarnessHypervisor hv = new HarnessHypervisor(scratch.path(), 0);
            opened.add(hv);
            service = links == null ? NetbackService.start(backendXs, hv, 0, Clock.SYSTEM, RateHook.NONE, lanes, 1)
                    : NetbackService.start(backendXs, hv, 0, links, Clock.SYSTEM, RateHook.NONE, lanes, 1);
            opened.add(service);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Adds guests {@code domids} (each with vif 0) and waits until every one is connected and its vif runs. */
    List<BenchGuest> addGuests(int[] domids) throws InterruptedException {
        List<BenchGuest> added = new ArrayList<>();
        for (int d : domids) {
            Path socket = xenstored.introduceDomain(d);
            toolstack.dom0.write("/local/domain/" + d + "/name", "xnb-bench-g" + d);
            toolstack.addVif(d, 0, bridge == null ? Map.of() : Map.of("bridge", bridge));
            BenchGuest g = BenchGuest.start(scratch.path(), socket, d);
            guests.add(g);
            added.add(g);
        }
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        for (BenchGuest g : added) {
            g.awaitConnected(CONNECT_WAIT);
            while (vif(g.domid()) == null || !"4".equals(toolstack.backendState(g.domid(), 0))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("guest " + g.domid() + ": its vif did not connect within "
                            + CONNECT_WAIT.toSeconds() + " s");
                }
                Thread.sleep(2);
            }
        }
        return added;
    }

    Vif vif(int domid) {
        return service.vifs().vif(new VifId(domid, 0));
    }

    /** Every vif's lane threads (DEDICATED: one each; SHARED: the shared ones), each once. */
    List<Thread> laneThreads() {
        Map<Thread, Boolean> seen = new IdentityHashMap<>();
        for (Vif v : service.vifs().vifs().values()) {
            for (int q = 0; q < v.queueCount(); q++) {
                seen.put(v.thread(q), Boolean.TRUE);
            }
        }
        return new ArrayList<>(seen.keySet());
    }

    /** CPU time of this whole process, as the OS counts it (user + system, every thread). */
    static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** CPU time of {@code threads} as the OS counts it (a thread that ended counts 0). */
    static long cpuNanos(List<Thread> threads) {
        long sum = 0;
        for (Thread t : threads) {
            long n = THREADS.getThreadCpuTime(t.getId());
            sum += Math.max(0, n);
        }
        return sum;
    }

    /** The sum of one lane counter over every vif's lanes. */
    long laneSum(LaneCounter c) {
        long sum = 0;
        for (Vif v : service.vifs().vifs().values()) {
            for (int q = 0; q < v.queueCount(); q++) {
                sum += v.lane(q).counters().get(c);
            }
        }
        return sum;
    }

    /** Sum over the vifs of some counter (e.g. the Rx drops). */
    long vifSum(Function<Vif, Long> f) {
        long sum = 0;
        for (Vif v : service.vifs().vifs().values()) {
            sum += f.apply(v);
        }
        return sum;
    }

    @Override
    public void close() {
        for (int i = guests.size() - 1; i >= 0; i--) {
            guests.get(i).close();
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        scratch.close();
    }
}
