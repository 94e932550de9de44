package org.xnb.tools.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XsPermissions;

/**
 * The xenbus handshake of one vif per guest, as the three parties of a real netback/netfront
 * play it, all through xenstore:
 *
 * <pre>
 *  toolstack (dom0)          backend (dom0, netback)             frontend (guest D, netfront)
 *  FE dir, perms nD r0  ----------------------------------------> (already watches BE/state)
 *  BE dir, perms n0 rD,
 *  keys, BE/state=1 -------> watch backend/vif sees BE/state:
 *                            watch FE/state, write ~10 features,
 *                            BE/state=2 (InitWait) -------------> sees 2: writes ring refs,
 *                                                                 event channels, ~15 keys,
 *                            sees FE/state=4: reads the  <------- FE/state=4 (Connected)
 *                            ring refs, BE/state=4 -------------> sees 4: connected
 * </pre>
 *
 * Listeners never block: they read with the async API and chain writes on its futures (those
 * callbacks run on the client's reader thread and only send). A watch event is a hint, so each
 * listener re-reads the state it cares about; a coalesced re-fire of the backend's directory
 * watch ({@code path == backend/vif}) rescans the directory.
 */
final class VifHandshake {
    static final String BACKEND_ROOT = "/local/domain/0/backend/vif";

    static final List<String> BACKEND_FEATURES = List.of("feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
            "feature-ipv6-csum-offload", "feature-rx-copy", "feature-rx-flip", "feature-multicast-control",
            "feature-dynamic-multicast-control", "feature-split-event-channels", "multi-queue-max-queues");
    static final List<String> FRONTEND_KEYS = List.of("tx-ring-ref", "rx-ring-ref", "event-channel-tx",
            "event-channel-rx", "request-rx-copy", "feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
            "feature-gso-tcpv6", "feature-ipv6-csum-offload", "feature-no-csum-offload",
            "feature-multicast-control", "multi-queue-num-queues", "feature-ctrl-ring", "mtu");
    private static final List<String> RING_KEYS = FRONTEND_KEYS.subList(0, 4);

    private final XenstoreClient backend;
    private final Map<Integer, AtomicBoolean> probed = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicBoolean> backendConnected = new ConcurrentHashMap<>();
    private final CountDownLatch frontendsConnected;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rescans = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    VifHandshake(XenstoreClient backend, int vifs) {
        this.backend = backend;
        this.frontendsConnected = new CountDownLatch(vifs);
    }

    static String backendDir(int domid) {
        return BACKEND_ROOT + "/" + domid + "/0";
    }

    static String frontendDir(int domid) {
        return "/local/domain/" + domid + "/device/vif/0";
    }

    CountDownLatch frontendsConnected() {
        return frontendsConnected;
    }

    long requests() {
        return requests.get();
    }

    /** Watch events handed to the three parties' listeners. */
    long events() {
        return events.get();
    }

    /**
     * The events one handshake delivers when none is coalesced: the backend's backend/vif
     * watch sees the toolstack's 11 changes below BE (mkdir, SET_PERMS, 9 keys) and its own 12
     * (features, InitWait, Connected); its FE/state watch fires when set and on Connected; the
     * frontend's BE/state watch sees Initialising, InitWait and Connected.
     */
    static long expectedEventsPerVif() {
        return 11 + BACKEND_FEATURES.size() + 2 + 2 + 3;
    }

    long rescans() {
        return rescans.get();
    }

    Throwable failure() {
        return failure.get();
    }

    /** The toolstack's writes for one guest (libxl order: each directory's permissions first). */
    void toolstack(XenstoreClient dom0, int domid, Bounded pipe) throws InterruptedException {
        String fe = frontendDir(domid);
        String be = backendDir(domid);
        pipe.send(() -> dom0.mkdirAsync(fe));
        pipe.send(() -> dom0.setPermissionsAsync(fe, XsPermissions.parse("n" + domid + " r0")));
        pipe.send(() -> dom0.writeAsync(fe + "/backend", be));
        pipe.send(() -> dom0.writeAsync(fe + "/backend-id", "0"));
        pipe.send(() -> dom0.writeAsync(fe + "/handle", "0"));
        pipe.send(() -> dom0.writeAsync(fe + "/mac", mac(domid)));
        pipe.send(() -> dom0.writeAsync(fe + "/state", "1"));
        pipe.send(() -> dom0.mkdirAsync(be));
        pipe.send(() -> dom0.setPermissionsAsync(be, XsPermissions.parse("n0 r" + domid)));
        pipe.send(() -> dom0.writeAsync(be + "/frontend", fe));
        pipe.send(() -> dom0.writeAsync(be + "/frontend-id", Integer.toString(domid)));
        pipe.send(() -> dom0.writeAsync(be + "/online", "1"));
        pipe.send(() -> dom0.writeAsync(be + "/script", "/etc/xen/scripts/vif-bridge"));
        pipe.send(() -> dom0.writeAsync(be + "/mac", mac(domid)));
        pipe.send(() -> dom0.writeAsync(be + "/bridge", "xenbr0"));
        pipe.send(() -> dom0.writeAsync(be + "/handle", "0"));
        pipe.send(() -> dom0.writeAsync(be + "/type", "vif"));
        pipe.send(() -> dom0.writeAsync(be + "/state", "1"));
        requests.addAndGet(18);
    }

    private static String mac(int domid) {
        return String.format("00:16:3e:00:%02x:%02x", (domid >> 8) & 0xff, domid & 0xff);
    }

    /** The backend's watch on backend/vif: probe a device once its state node exists. */
    void onBackendDirEvent(String path) {
        events.incrementAndGet();
        if (path.equals(BACKEND_ROOT)) {
            rescan();
            return;
        }
        if (!path.startsWith(BACKEND_ROOT + "/") || !path.endsWith("/0/state")) {
            return;
        }
        String id = path.substring(BACKEND_ROOT.length() + 1, path.length() - "/0/state".length());
        if (id.isEmpty() || id.indexOf('/') >= 0) {
            return;
        }
        probe(Integer.parseInt(id));
    }

    private void rescan() {
        rescans.incrementAndGet();
        requests.incrementAndGet();
        backend.directoryAsync(BACKEND_ROOT).whenComplete((ids, e) -> {
            if (e != null) {
                fail(e);
                return;
            }
            for (String id : ids) {
                int domid = Integer.parseInt(id);
                requests.incrementAndGet();
                backend.existsAsync(backendDir(domid) + "/state").thenAccept(there -> {
                    if (there) {
                        probe(domid);
                    }
                }).whenComplete((v, x) -> failIf(x));
            }
        });
    }

    private void probe(int domid) {
        if (probed.computeIfAbsent(domid, d -> new AtomicBoolean()).getAndSet(true)) {
            return;
        }
        String be = backendDir(domid);
        String feState = frontendDir(domid) + "/state";
        requests.addAndGet(2 + BACKEND_FEATURES.size());
        backend.watchAsync(feState, "fe" + domid, ev -> onFrontendState(domid)).whenComplete((v, e) -> failIf(e));
        for (String f : BACKEND_FEATURES) {
            backend.writeAsync(be + "/" + f, f.startsWith("multi-queue") ? "4" : f.equals("feature-rx-flip") ? "0" : "1")
                    .whenComplete((v, e) -> failIf(e));
        }
        backend.writeAsync(be + "/state", "2").whenComplete((v, e) -> failIf(e));
    }

    /** The backend's otherend watch: on Connected, read the rings and connect. */
    private void onFrontendState(int domid) {
        events.incrementAndGet();
        String fe = frontendDir(domid);
        requests.incrementAndGet();
        backend.readStringAsync(fe + "/state").thenAccept(state -> {
            if (!"4".equals(state) || backendConnected.computeIfAbsent(domid, d -> new AtomicBoolean()).getAndSet(true)) {
                return;
            }
            requests.addAndGet(RING_KEYS.size() + 1);
            CompletableFuture<?>[] reads = RING_KEYS.stream().map(k -> backend.readAsync(fe + "/" + k))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(reads)
                    .thenCompose(v -> backend.writeAsync(backendDir(domid) + "/state", "4"))
                    .whenComplete((v, e) -> failIf(e));
        }).whenComplete((v, e) -> failIf(e));
    }

    /** The frontend's otherend watch on BE/state, on guest {@code domid}'s own connection. */
    void onBackendState(XenstoreClient guest, int domid, AtomicBoolean wroteRings, AtomicBoolean connected) {
        events.incrementAndGet();
        requests.incrementAndGet();
        guest.readStringAsync(backendDir(domid) + "/state").whenComplete((state, e) -> {
            if (e != null) {
                return; // not there or not readable yet (the watch fires once when set): a hint only
            }
            if ("2".equals(state) && !wroteRings.getAndSet(true)) {
                requests.addAndGet(FRONTEND_KEYS.size() + 1);
                for (int i = 0; i < FRONTEND_KEYS.size(); i++) {
                    guest.writeAsync("device/vif/0/" + FRONTEND_KEYS.get(i), Integer.toString(8 + i))
                            .whenComplete((v, x) -> failIf(x));
                }
                guest.writeAsync("device/vif/0/state", "4").whenComplete((v, x) -> failIf(x));
            } else if ("4".equals(state) && !connected.getAndSet(true)) {
                frontendsConnected.countDown();
            }
        });
    }

    private void failIf(Throwable e) {
        if (e != null) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        failure.compareAndSet(null, e);
    }

    /** Async requests from one sending thread with at most {@code limit} outstanding. */
    static final class Bounded {
        private final java.util.concurrent.Semaphore slots;
        private final long timeoutNanos;
        private final VifHandshake owner;

        Bounded(int limit, long timeoutNanos, VifHandshake owner) {
            this.slots = new java.util.concurrent.Semaphore(limit);
            this.timeoutNanos = timeoutNanos;
            this.owner = owner;
        }

        void send(java.util.function.Supplier<CompletableFuture<?>> request) throws InterruptedException {
            if (!slots.tryAcquire(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("no reply to the toolstack within the timeout");
            }
            request.get().whenComplete((v, e) -> {
                owner.failIf(e);
                slots.release();
            });
        }
    }
}
