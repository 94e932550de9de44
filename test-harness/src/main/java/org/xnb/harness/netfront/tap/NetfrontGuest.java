package org.xnb.harness.netfront.tap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.BackendFeatures;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.NetfrontXenbus;
import org.xnb.vnic.tap.IfTun;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * A whole simulated guest with one vif: its memory in the harness, its own xenstore connection
 * ({@code <socket>-domN}, which the harness xenstored opens when the domain is introduced), the
 * netfront handshake ({@link NetfrontXenbus}), and once connected the data path
 * ({@link NetfrontDevice}) pumped by one thread ({@link GuestPump}). With {@code tap} the
 * guest's kernel is a TAP device {@code eth0} in namespace {@code xnb-gN}
 * ({@link GuestNamespace}); its offloads (TUNSETOFFLOAD) follow what the backend announced.
 */
public final class NetfrontGuest implements AutoCloseable {
    private final int domid;
    private final int devid;
    private final boolean withTap;
    private final HarnessGuest guest;
    private final XenstoreClient xs;
    private final String namespace;
    /** The TAP's name before it moves into the namespace (where it becomes eth0). */
    private final String tapName;
    /** Whether close() deletes the namespace (false when the caller made it). */
    private final boolean ownsNamespace;
    /** The most queues this guest's netfront asks for (Linux's {@code xennet_max_queues}). */
    private final int maxQueues;
    /** Without a TAP: what queue 0 sends (a mock guest's traffic), or null. */
    private volatile FrameSource source;
    private NetfrontXenbus xenbus;
    /** One device, pump and thread per queue; with a TAP, queue q of the TAP belongs to queue q. */
    private final List<NetfrontDevice> devs = new ArrayList<>();
    private TapDevice tap;
    private final List<GuestPump> pumps = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private NetfrontGuest(int domid, int devid, HarnessGuest guest, XenstoreClient xs, String namespace,
            String tapName, boolean ownsNamespace, int maxQueues) {
        this.maxQueues = maxQueues;
        this.domid = domid;
        this.devid = devid;
        this.withTap = namespace != null;
        this.guest = guest;
        this.xs = xs;
        this.namespace = namespace;
        this.tapName = tapName;
        this.ownsNamespace = ownsNamespace;
    }

    /**
     * Starts guest {@code domid} (which must exist in the harness at {@code harnessDir} and be
     * introduced to the xenstored at {@code xenstoredSocket}) and its netfront for vif
     * {@code devid}, whose nodes the toolstack must have written. Returns at once; the handshake
     * goes on when the backend reaches InitWait ({@link #awaitConnected}).
     */
    public static NetfrontGuest start(Path harnessDir, Path xenstoredSocket, int domid, int devid, boolean withTap) {
        return start(harnessDir, xenstoredSocket, domid, devid, withTap, 1);
    }

    /**
     * As above, the netfront asking for up to {@code queues} queues (the backend's
     * {@code multi-queue-max-queues} may give fewer): a device, a pump thread and (with a TAP)
     * a queue of a multi-queue TAP for each, so the guest kernel spreads its flows over them as
     * Linux netfront's {@code xennet_select_queue} does. The guest needs
     * {@code queues * NetfrontDevice.PAGES} pages.
     */
    public static NetfrontGuest start(Path harnessDir, Path xenstoredSocket, int domid, int devid, boolean withTap,
            int queues) {
        return start(harnessDir, xenstoredSocket, domid, devid, withTap ? GuestNamespace.name(domid) : null,
                GuestNamespace.PREFIX + domid + "v" + devid, withTap, queues);
    }

    /**
     * As {@link #start(Path, Path, int, int, boolean)} with a TAP, in the namespace {@code ns}
     * that the caller has made and deletes (a test fixture's, with names a stale sweep knows),
     * the TAP created as {@code tapName} before it moves there.
     */
    public static NetfrontGuest startIn(Path harnessDir, Path xenstoredSocket, int domid, int devid, String ns,
            String tapName) {
        return startIn(harnessDir, xenstoredSocket, domid, devid, ns, tapName, 1);
    }

    /** As {@link #startIn(Path, Path, int, int, String, String)}, asking for up to {@code queues} queues. */
    public static NetfrontGuest startIn(Path harnessDir, Path xenstoredSocket, int domid, int devid, String ns,
            String tapName, int queues) {
        return start(harnessDir, xenstoredSocket, domid, devid, ns, tapName, false, queues);
    }

    private static NetfrontGuest start(Path harnessDir, Path xenstoredSocket, int domid, int devid, String ns,
            String tapName, boolean ownsNamespace, int queues) {
        HarnessGuest guest = new HarnessGuest(harnessDir, domid);
        XenstoreClient xs;
        try {
            xs = XenstoreClient.connect(UnixSocketTransport.connect(Path.of(xenstoredSocket + "-dom" + domid)));
        } catch (IOException e) {
            guest.close();
            throw new UncheckedIOException("guest " + domid + ": cannot connect to its xenstore socket", e);
        }
        NetfrontGuest g = new NetfrontGuest(domid, devid, guest, xs, ns, tapName, ownsNamespace, queues);
        try {
            if (ownsNamespace) {
                GuestNamespace.create(g.namespace);
            }
            g.xenbus = NetfrontXenbus.start(xs, domid, devid, g.new Owner(), queues);
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Without a TAP: the frames this guest sends, from its next connect on (call before it connects). */
    public NetfrontGuest sending(FrameSource frames) {
        this.source = frames;
        return this;
    }

    public int domid() {
        return domid;
    }

    /** The guest's namespace, or null for a plain guest. */
    public String namespace() {
        return namespace;
    }

    public NetfrontXenbus xenbus() {
        return xenbus;
    }

    public void awaitConnected(Duration timeout) throws InterruptedException {
        xenbus.awaitConnected(timeout);
    }

    private final class Owner implements NetfrontXenbus.Owner {
        @Override
        public NetfrontDevice connect(int backendId, BackendFeatures features) {
            return connectQueues(backendId, features, 1).get(0);
        }

        @Override
        public List<NetfrontDevice> connectQueues(int backendId, BackendFeatures features, int queues) {
            synchronized (NetfrontGuest.this) {
                try {
                    for (int q = 0; q < queues; q++) {
                        devs.add(new NetfrontDevice(guest, backendId, features.splitEventChannels(),
                                q * NetfrontDevice.PAGES));
                    }
                    if (withTap) {
                        // not xenbus.frontendPath(): this runs on the handshake's thread, maybe
                        // before start() has returned the NetfrontXenbus to assign
                        String mac = xs.readString("/local/domain/" + domid + "/device/vif/" + devid + "/mac").trim();
                        tap = TapDevice.open(TapConfig.builder().name(tapName).queues(queues)
                                .multiQueue(queues > 1).offloads(offloads(features)).build());
                        GuestNamespace.attach(tap, namespace, mac, domid);
                    }
                    for (int q = 0; q < queues; q++) {
                        pumps.add(new GuestPump(devs.get(q), tap == null ? null : tap.queue(q), q == 0 ? source : null));
                    }
                } catch (RuntimeException e) {
                    stopDataPath(); // the handshake fails; leave nothing half set up
                    throw e;
                }
                for (int q = 0; q < queues; q++) {
                    Thread t = new Thread(pumps.get(q), "guest-" + domid + "-vif" + devid + (queues > 1 ? "-q" + q : ""));
                    t.setDaemon(true);
                    threads.add(t);
                    t.start();
                }
                return List.copyOf(devs);
            }
        }

        @Override
        public void disconnect() {
            stopDataPath();
        }
    }

    /** What the guest kernel may hand us: partial checksums always, TSO when the backend takes GSO (and SG). */
    static int offloads(BackendFeatures f) {
        int o = IfTun.TUN_F_CSUM;
        if (f.sg() && f.gsoTcpv4()) {
            o |= IfTun.TUN_F_TSO4;
        }
        if (f.sg() && f.gsoTcpv6() && f.ipv6CsumOffload()) {
            o |= IfTun.TUN_F_TSO6;
        }
        return f.ipv6CsumOffload() ? o : 0;
    }

    private synchronized void stopDataPath() {
        for (GuestPump p : pumps) {
            p.stop();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pumps.clear();
        threads.clear();
        if (tap != null) {
            tap.close();
            tap = null;
        }
        for (NetfrontDevice d : devs) {
            d.close();
        }
        devs.clear();
    }

    /** Frames sent and received so far, for logs (summed over the queues). */
    public synchronized String describe() {
        if (devs.isEmpty()) {
            return "guest " + domid + ": not connected (state " + xenbus.state() + ")";
        }
        long tx = 0;
        long txErr = 0;
        long rx = 0;
        long rxErr = 0;
        long tapDrops = 0;
        for (int q = 0; q < devs.size(); q++) {
            NetfrontDevice d = devs.get(q);
            tx += d.txFrames();
            txErr += d.txErrors();
            rx += d.rxFrames();
            rxErr += d.rxErrors();
            tapDrops += q < pumps.size() ? pumps.get(q).tapDrops() : 0;
        }
        return "guest " + domid + ": " + devs.size() + " queue(s), tx " + tx + " frames (" + txErr + " errors), rx "
                + rx + " frames (" + rxErr + " dropped), tap drops " + tapDrops;
    }

    /** Stops the guest; writes nothing to xenstore (it simply goes away) and deletes its namespace. */
    @Override
    public void close() {
        if (xenbus != null) {
            xenbus.close();
        }
        stopDataPath();
        xs.close();
        guest.close();
        if (ownsNamespace) {
            GuestNamespace.delete(namespace);
        }
    }
}
