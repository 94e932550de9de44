package org.xnb.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.netfront.BackendFeatures;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.NetfrontXenbus;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.Clock;
import org.xnb.netback.vif.NetbackService;
import org.xnb.netback.vif.RateHook;
import org.xnb.netback.vif.Vif;
import org.xnb.netback.xenbus.VifId;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * A simulated host for {@code xnb bench multiqueue}, wired as {@code harness serve
 * --in-process-backend} wires it: the harness hypervisor in a scratch directory (/dev/shm), the
 * harness xenstored in this JVM, {@link NetbackService} (the daemon's code: real {@link Vif}s,
 * one DEDICATED lane thread per queue, the learning switch) advertising {@code queues} queues,
 * and guests A and B whose netfronts ({@link NetfrontXenbus}, {@link NetfrontDevice} per queue)
 * ask for that many. The benchmark drives the devices; nothing here runs a guest thread.
 */
final class MultiQueueRig implements AutoCloseable {
    static final int BACKEND = 0;
    static final int GUEST_A = 1;
    static final int GUEST_B = 2;
    private static final Duration WAIT = Duration.ofSeconds(20);

    final int queues;
    final List<NetfrontDevice> a = new ArrayList<>();
    final List<NetfrontDevice> b = new ArrayList<>();
    final NetbackService netback;
    /** Closed newest first; the guests' xenbus threads add their devices too. */
    private final List<AutoCloseable> open = java.util.Collections.synchronizedList(new ArrayList<>());

    MultiQueueRig(Path parent, int queues) throws IOException, InterruptedException {
        this.queues = queues;
        try {
            ScratchDirectory scratch = new ScratchDirectory(parent, "xnb-bench-mq-");
            open.add(scratch);
            Path dir = scratch.path();
            HarnessDirectory host = HarnessDirectory.create(dir);
            open.add(host);
            host.createDomain(BACKEND, 0, 1024, 1024);
            for (int g : new int[] {GUEST_A, GUEST_B}) {
                host.createDomain(g, queues * NetfrontDevice.PAGES, queues * NetfrontDevice.GRANTS, 16);
            }
            XenstoredServer xenstored = XenstoredServer.start(dir.resolve("xs.sock"));
            open.add(xenstored);
            XenstoreClient dom0 = client(dir.resolve("xs.sock"));
            VifNodes nodes = new VifNodes(dom0);
            Path[] guestSockets = new Path[3];
            for (int g : new int[] {GUEST_A, GUEST_B}) {
                guestSockets[g] = xenstored.introduceDomain(g);
                nodes.addVif(g, 0, Map.of("bridge", "xnb0"));
            }
            HarnessHypervisor hv = new HarnessHypervisor(dir, BACKEND);
            open.add(hv);
            netback = NetbackService.start(client(dir.resolve("xs.sock")), hv, BACKEND, Clock.SYSTEM, RateHook.NONE,
                    null, queues);
            open.add(netback);
            NetfrontXenbus xa = guest(dir, guestSockets[GUEST_A], GUEST_A, a);
            NetfrontXenbus xb = guest(dir, guestSockets[GUEST_B], GUEST_B, b);
            xa.awaitConnected(WAIT);
            xb.awaitConnected(WAIT);
            awaitVifs();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private XenstoreClient client(Path socket) throws IOException {
        XenstoreClient c = XenstoreClient.connect(UnixSocketTransport.connect(socket));
        open.add(c);
        return c;
    }

    /** Guest {@code domid}'s netfront: its xenbus side asks for {@link #queues} queues, each a device. */
    private NetfrontXenbus guest(Path dir, Path socket, int domid, List<NetfrontDevice> devices) throws IOException {
        HarnessGuest memory = new HarnessGuest(dir, domid);
        open.add(memory);
        XenstoreClient xs = client(socket);
        NetfrontXenbus x = NetfrontXenbus.start(xs, domid, 0, new NetfrontXenbus.Owner() {
            @Override
            public NetfrontDevice connect(int backendId, BackendFeatures features) {
                return connectQueues(backendId, features, 1).get(0);
            }

            @Override
            public List<NetfrontDevice> connectQueues(int backendId, BackendFeatures features, int count) {
                synchronized (devices) {
                    for (int q = 0; q < count; q++) {
                        NetfrontDevice d = new NetfrontDevice(memory, backendId, features.splitEventChannels(),
                                q * NetfrontDevice.PAGES);
                        devices.add(d);
                        open.add(d);
                    }
                    return List.copyOf(devices);
                }
            }

            @Override
            public void disconnect() {
                // the benchmark's threads have stopped by then
            }
        }, queues);
        open.add(x);
        return x;
    }

    /** Waits until both vifs run with every queue (the netfronts wrote Connected before netback saw it). */
    private void awaitVifs() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (vif(GUEST_A) == null || vif(GUEST_B) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("netback did not connect both guests' vifs within " + WAIT.toSeconds()
                        + " s");
            }
            Thread.sleep(5);
        }
        for (int g : new int[] {GUEST_A, GUEST_B}) {
            int got = vif(g).queueCount();
            if (got != queues || (g == GUEST_A ? a : b).size() != queues) {
                throw new IllegalStateException("guest " + g + ": " + got + " queues connected, wanted " + queues);
            }
        }
    }

    Vif vif(int domid) {
        return netback.vifs().vif(new VifId(domid, 0));
    }

    static long mac(int domid) {
        String[] parts = VifNodes.mac(domid, 0).split(":");
        long m = 0;
        for (String p : parts) {
            m = m << 8 | Integer.parseInt(p, 16);
        }
        return m;
    }

    @Override
    public void close() {
        synchronized (open) {
            if (netback != null && open.remove(netback)) { // first: its lanes stop before the guests' ports and pages go
                try {
                    netback.close();
                } catch (RuntimeException e) {
                    // keep closing the rest
                }
            }
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        open.clear();
    }
}
