package org.xnb.netback.xenbus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnb.xenstore.WatchEvent;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreConnectionException;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsWatch;

/**
 * The vif backend driver of one backend domain: what Linux's xenbus backend bus
 * ({@code xenbus_probe_backend.c}) and {@code netback_probe()}/{@code netback_remove()} do
 * together. It watches {@code /local/domain/<domid>/backend/vif}, creates a {@link VifDevice}
 * for each {@code <frontend-domid>/<devid>} directory that has its {@code frontend} and
 * {@code frontend-id}, drops it when the directory goes, and watches {@code @releaseDomain} to
 * tear down the devices of guests that died. A directory whose guest is not introduced
 * ({@code IS_DOMAIN_INTRODUCED}) is left alone until {@code @introduceDomain} says otherwise.
 *
 * <p><b>Threading.</b> All xenstore work happens on one thread of its own. Watch listeners
 * (on the client's dispatcher thread) never block: they only mark a piece of work dirty and
 * queue it once; the thread clears the mark and re-reads xenstore, so any number of events for
 * one device collapse into one re-read (watch events are hints; their path only says which part
 * to re-read). The queue therefore holds at most one task per device plus the scans, and is
 * bounded. Every xenstore call is bounded by the client's request timeout. A failure while
 * handling one device is logged and ends that device in a clean state; others go on.
 *
 * <p><b>Devices that ended</b> (offline and closed, failed probe, dead guest) stay "retired"
 * while their nodes exist so the next event does not probe them again; once the toolstack
 * removes the directory they are forgotten.
 *
 * <p>{@link #close()} disconnects every data path and removes the watches but writes nothing:
 * a restarted backend finds the devices (Connected ones are re-attached, see
 * {@link AttachMode#RESUME_LIVE}).
 */
public final class XenbusBackend implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenbusBackend.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int QUEUE_CAPACITY = 65_536;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** A piece of work for the xenbus thread, coalesced while queued. */
    private sealed interface Work permits ScanAll, ScanDomain, Device, ReleaseCheck {
    }

    private record ScanAll() implements Work {
    }

    private record ScanDomain(int frontendDomid) implements Work {
    }

    private record Device(VifId id) implements Work {
    }

    private record ReleaseCheck() implements Work {
    }

    private final XenstoreClient xs;
    private final int domid;
    private final String root;
    private final VifConnector connector;
    private final String tokenPrefix;
    private final ThreadPoolExecutor thread;
    private final Set<Work> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger watchSerial = new AtomicInteger();
    private volatile Thread xenbusThread;

    // owned by the xenbus thread
    private final Map<VifId, VifDevice> devices = new HashMap<>();
    private final Set<VifId> retired = new HashSet<>();
    private final List<XsWatch> watches = new ArrayList<>();
    private boolean closed;

    private XenbusBackend(XenstoreClient xs, int domid, VifConnector connector) {
        this.xs = xs;
        this.domid = domid;
        this.root = "/local/domain/" + domid + "/backend/vif";
        this.connector = connector;
        int n = INSTANCES.incrementAndGet();
        this.tokenPrefix = "xnb-vif-" + domid + "-" + n + "-";
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
            Thread t = new Thread(r, "xnb-xenbus-" + domid + "-" + n);
            t.setDaemon(true);
            xenbusThread = t;
            return t;
        });
    }

    /**
     * Starts serving the vifs of backend domain {@code domid}; devices that already exist are
     * picked up at once.
     */
    public static XenbusBackend start(XenstoreClient xs, int domid, VifConnector connector) {
        if (domid < 0 || domid > 0xffff) {
            throw new IllegalArgumentException("backend domain id out of range: " + domid);
        }
        XenbusBackend b = new XenbusBackend(xs, domid, connector);
        b.call(() -> {
            // each watch fires once when registered: that first event is the initial scan
            b.watches.add(xs.watch(b.root, b.tokenPrefix + "backend", b::onBackendEvent));
            b.watches.add(xs.watch("@releaseDomain", b.tokenPrefix + "release", ev -> b.schedule(new ReleaseCheck())));
            b.watches.add(xs.watch("@introduceDomain", b.tokenPrefix + "introduce", ev -> b.schedule(new ScanAll())));
            return null;
        });
        return b;
    }

    /** The backend directory this instance serves. */
    public String root() {
        return root;
    }

    /** The live devices and the state each last wrote (a snapshot taken on the xenbus thread). */
    public Map<VifId, XenbusState> deviceStates() {
        return call(() -> {
            Map<VifId, XenbusState> m = new TreeMap<>();
            devices.forEach((id, d) -> m.put(id, d.state()));
            return m;
        });
    }

    /** Devices that ended while their nodes still exist (snapshot). */
    public Set<VifId> retiredDevices() {
        return call(() -> Set.copyOf(retired));
    }

    /** Data paths currently connected (snapshot). */
    public int connectedCount() {
        return call(() -> (int) devices.values().stream().filter(VifDevice::isConnected).count());
    }

    /** Stops: every data path closed, every watch removed, xenstore left as it is. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops for good: every data path closed and each device's backend {@code state} taken
     * through Closing to Closed (so every frontend unmaps and the toolstack sees the backend
     * gone), every watch removed. A backend started later sees Closed devices, not live ones.
     */
    public void shutdown() {
        stop(true);
    }

    private void stop(boolean announce) {
        if (thread.isShutdown()) {
            return;
        }
        try {
            call(() -> {
                closed = true;
                for (XsWatch w : watches) {
                    closeQuietly(w);
                }
                watches.clear();
                for (VifDevice d : devices.values()) {
                    if (announce) {
                        d.shutdown();
                    } else {
                        d.detach();
                    }
                }
                devices.clear();
                return null;
            });
        } finally {
            thread.shutdown();
            try {
                if (!thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "xenbus thread did not stop within " + CLOSE_TIMEOUT);
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ event routing

    /** On the dispatcher thread: decide which part to re-read, queue it, return at once. */
    private void onBackendEvent(WatchEvent ev) {
        String path = ev.path();
        if (!path.startsWith(root + "/")) {
            schedule(new ScanAll());
            return;
        }
        String[] parts = path.substring(root.length() + 1).split("/", 3);
        int fe = parseId(parts[0]);
        if (fe < 0 || fe > 0xffff) {
            return; // not a domain id: nothing of ours can live there
        }
        if (parts.length == 1) {
            schedule(new ScanDomain(fe));
            return;
        }
        int dev = parseId(parts[1]);
        if (dev >= 0) {
            schedule(new Device(new VifId(fe, dev)));
        }
    }

    private void schedule(Work w) {
        if (!queued.add(w)) {
            return; // already queued: it will re-read everything when it runs
        }
        try {
            thread.execute(() -> run(w));
        } catch (RejectedExecutionException e) {
            queued.remove(w);
            if (!thread.isShutdown()) {
                LOG.log(System.Logger.Level.WARNING, "xenbus work queue full, dropped " + w);
            }
        }
    }

    // ---------------------------------------------------------------- the xenbus thread

    private void run(Work w) {
        queued.remove(w); // before reading, so an event arriving now queues another pass
        if (closed) {
            return;
        }
        try {
            if (w instanceof ScanDomain s) {
                scanDomain(s.frontendDomid());
            } else if (w instanceof Device d) {
                device(d.id());
            } else if (w instanceof ReleaseCheck) {
                releaseCheck();
            } else {
                scanAll();
            }
        } catch (XenstoreConnectionException e) {
            LOG.log(System.Logger.Level.ERROR, "xenstore connection lost: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "xenbus: " + w + " failed: " + e);
        }
    }

    private void scanAll() {
        Set<Integer> domains = new HashSet<>();
        for (String name : list(root)) {
            int fe = parseId(name);
            if (fe >= 0 && fe <= 0xffff) {
                domains.add(fe);
            }
        }
        for (VifId id : devices.keySet()) {
            domains.add(id.frontendDomid());
        }
        for (VifId id : retired) {
            domains.add(id.frontendDomid());
        }
        for (int fe : domains) {
            scanDomain(fe);
        }
    }

    private void scanDomain(int fe) {
        Set<VifId> ids = new HashSet<>();
        for (String name : list(root + "/" + fe)) {
            int dev = parseId(name);
            if (dev >= 0) {
                ids.add(new VifId(fe, dev));
            }
        }
        for (VifId id : devices.keySet()) {
            if (id.frontendDomid() == fe) {
                ids.add(id);
            }
        }
        for (VifId id : retired) {
            if (id.frontendDomid() == fe) {
                ids.add(id);
            }
        }
        for (VifId id : ids) {
            device(id);
        }
    }

    /** Linux's {@code xenbus_dev_changed()}: probe a new device, or let a known one re-read. */
    private void device(VifId id) {
        VifDevice d = devices.get(id);
        if (d != null) {
            guarded(d, d::reconcile);
            return;
        }
        String path = root + "/" + id.frontendDomid() + "/" + id.devid();
        if (retired.contains(id)) {
            if (!xs.exists(path)) {
                retired.remove(id);
                rmQuietly(VifDevice.errorNodeDir(domid, id));
            }
            return;
        }
        if (!xs.exists(path + "/frontend") || !xs.exists(path + "/frontend-id")) {
            return; // not complete yet (or gone): a later event brings us back
        }
        if (id.frontendDomid() != 0 && !xs.isDomainIntroduced(id.frontendDomid())) {
            // a dead guest's leftovers, or a guest not introduced yet: @introduceDomain brings us back
            LOG.log(System.Logger.Level.DEBUG, () -> id + ": frontend domain is not introduced, not probing");
            return;
        }
        VifDevice fresh = new VifDevice(xs, domid, id, path, connector,
                tokenPrefix + "fe-" + id.frontendDomid() + "-" + id.devid() + "-" + watchSerial.incrementAndGet(),
                () -> schedule(new Device(id)), this::onRetired);
        devices.put(id, fresh);
        LOG.log(System.Logger.Level.INFO, id + ": probing " + path);
        guarded(fresh, fresh::probe);
    }

    /** {@code @releaseDomain}: tear down the devices of every guest that no longer exists. */
    private void releaseCheck() {
        Set<Integer> domains = new HashSet<>();
        for (VifId id : devices.keySet()) {
            domains.add(id.frontendDomid());
        }
        for (int fe : domains) {
            if (fe == 0 || xs.isDomainIntroduced(fe)) {
                continue;
            }
            for (VifDevice d : new ArrayList<>(devices.values())) {
                if (d.id().frontendDomid() == fe) {
                    guarded(d, d::domainGone);
                }
            }
        }
    }

    private void onRetired(VifDevice d) {
        devices.remove(d.id(), d);
        String path = root + "/" + d.id().frontendDomid() + "/" + d.id().devid();
        if (xs.exists(path)) {
            retired.add(d.id());
        } else {
            rmQuietly(VifDevice.errorNodeDir(domid, d.id()));
        }
    }

    /** Runs one device step; a failure stays with that device. */
    private void guarded(VifDevice d, Runnable step) {
        try {
            step.run();
        } catch (XenstoreConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            d.failed(e);
        }
    }

    // ----------------------------------------------------------------------- helpers

    private List<String> list(String path) {
        try {
            return xs.directory(path);
        } catch (XenstoreException e) {
            if (e.error() == XsError.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    private void rmQuietly(String path) {
        try {
            xs.rm(path);
        } catch (XenstoreException e) {
            if (e.error() != XsError.ENOENT) {
                LOG.log(System.Logger.Level.WARNING, "removing " + path + ": " + e);
            }
        }
    }

    private static void closeQuietly(XsWatch w) {
        try {
            w.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unwatch " + w.path() + " failed: " + e);
        }
    }

    /** A decimal id without sign or leading garbage, or -1. */
    private static int parseId(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    /** Runs {@code task} on the xenbus thread and waits for it, bounded. */
    private <T> T call(Callable<T> task) {
        if (Thread.currentThread() == xenbusThread) {
            // a connector calling back into us would wait for itself
            throw new IllegalStateException("called on the xenbus thread itself");
        }
        Future<T> f = thread.submit(task);
        long timeout = xs.config().requestTimeout().toMillis() * 4;
        try {
            return f.get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the xenbus thread", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("the xenbus thread did not answer within " + timeout + " ms");
        }
    }
}
