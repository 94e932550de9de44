package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.netback.xenbus.VifId;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreClientConfig;

/**
 * A simulated Xen host with netback running as the daemon will: the harness hypervisor (in
 * /dev/shm), the harness xenstored in-process on a temp socket, a toolstack connection, and a
 * {@link NetbackService} on its own dom0 connection. Guests are added as the toolstack and a
 * Linux netfront would; everything is closed in reverse order.
 */
final class VifRig implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final XenstoreClientConfig CLIENT = XenstoreClientConfig.defaults().withRequestTimeout(Duration.ofSeconds(5));

    final HarnessHost host = new HarnessHost();
    final XenstoredServer server;
    final VifNodes toolstack;
    private final List<AutoCloseable> opened = new ArrayList<>();
    final Map<Integer, GuestDriver> guests = new LinkedHashMap<>();
    private final Map<Integer, XenstoreClient> guestClients = new LinkedHashMap<>();
    private XenstoreClient backendClient;
    NetbackService service;
    /** {@code multi-queue-max-queues} of the next service started; 0 = the backend's default. */
    int maxQueues;

    VifRig(Path dir) throws IOException {
        try {
            server = XenstoredServer.start(dir.resolve("xs.sock"));
            opened.add(server);
            toolstack = new VifNodes(client(server.socketPath()));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private XenstoreClient client(Path socket) throws IOException {
        XenstoreClient c = XenstoreClient.connect(UnixSocketTransport.connect(socket), CLIENT);
        opened.add(c);
        return c;
    }

    /** Starts (or restarts) netback on a fresh dom0 connection. */
    NetbackService startService() throws IOException {
        return startService(RateHook.NONE);
    }

    NetbackService startService(RateHook rateHook) throws IOException {
        return startService(org.xnb.netback.Clock.SYSTEM, rateHook);
    }

    /** With the vifs' clock (Tx credit, Rx timeouts, held unmasks) of the test's choosing. */
    NetbackService startService(org.xnb.netback.Clock clock, RateHook rateHook) throws IOException {
        return startService(clock, rateHook, null);
    }

    /** With the test's lane scheduler (its counters file and threading mode); null = the backend's own. */
    NetbackService startService(org.xnb.netback.Clock clock, RateHook rateHook,
            org.xnb.vnic.lane.LaneScheduler lanes) throws IOException {
        backendClient = client(server.socketPath());
        service = NetbackService.start(backendClient, host.hypervisor, HarnessHost.BACKEND, clock, rateHook, lanes,
                maxQueues > 0 ? maxQueues : VifBackend.defaultMaxQueues());
        return service;
    }

    /** Stops netback as a daemon exit would (writes nothing to xenstore) and drops its connection. */
    void stopService() throws Exception {
        service.close();
        service = null;
        backendClient.close();
        opened.remove(backendClient);
        backendClient = null;
    }

    /** Introduces guest {@code domid} and returns a connection on its own socket (closed with the rig). */
    XenstoreClient introduce(int domid) throws IOException {
        XenstoreClient xs = client(server.introduceDomain(domid));
        guestClients.put(domid, xs);
        return xs;
    }

    /** The toolstack creates vif {@code domid}/0; the guest connects; waits until its vif runs. */
    GuestDriver addGuest(int domid, boolean split) throws IOException {
        return addGuest(domid, split, false);
    }

    GuestDriver addGuest(int domid, boolean split, boolean multicastControl) throws IOException {
        return addGuest(domid, split, multicastControl, Map.of());
    }

    /** As above, with more backend keys from the toolstack (e.g. {@code rate}). */
    GuestDriver addGuest(int domid, boolean split, boolean multicastControl, Map<String, String> backendKeys)
            throws IOException {
        XenstoreClient xs = client(server.introduceDomain(domid));
        guestClients.put(domid, xs);
        toolstack.addVif(domid, 0, backendKeys);
        await().atMost(WAIT).until(() -> "2".equals(toolstack.backendState(domid, 0)));
        GuestDriver g = new GuestDriver(host, xs, domid, split);
        guests.put(domid, g);
        g.connect(multicastControl);
        await().atMost(WAIT).until(() -> "4".equals(toolstack.backendState(domid, 0)) && vif(domid) != null);
        g.postRx();
        return g;
    }

    /**
     * The guest's frontend goes Closing then Closed (as netfront on unplug); waits until its vif
     * is gone, its thread has ended (DEDICATED lanes; a shared thread serves others) and its close
     * has released everything.
     */
    void disconnect(int domid) {
        Vif v = vif(domid);
        GuestDriver g = guests.get(domid);
        g.state(org.xnb.netback.xenbus.XenbusState.CLOSING);
        g.state(org.xnb.netback.xenbus.XenbusState.CLOSED);
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> vif(domid) == null && (v == null || v.released() && (!v.thread().isAlive()
                        || service.vifs().lanes().mode() != org.xnb.vnic.lane.ThreadingMode.DEDICATED)));
    }

    /**
     * Nothing of {@code domid} is held by the backend any more (no pins of its grants), and the
     * backend holds exactly the ports and ring mappings of the vifs still connected.
     */
    void assertNothingHeldFor(int domid) {
        int ports = 0;
        for (Vif v : service.vifs().vifs().values()) {
            ports += v.boundPortCount();
        }
        int pins = host.account.pinnedGrants(domid);
        int bound = host.account.boundPorts(HarnessHost.BACKEND);
        long mapped = host.account.mappedPages(HarnessHost.BACKEND);
        int vifs = service.vifs().vifs().size();
        if (pins != 0 || bound != ports || mapped != 2L * vifs) {
            throw new AssertionError("after guest " + domid + " went: " + pins + " of its grants pinned, " + bound
                    + " backend ports bound (want " + ports + "), " + mapped + " pages mapped (want " + 2 * vifs + ")");
        }
    }

    Vif vif(int domid) {
        return service == null ? null : service.vifs().vif(new VifId(domid, 0));
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        for (GuestDriver g : guests.values()) {
            g.close();
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        host.close();
    }
}
