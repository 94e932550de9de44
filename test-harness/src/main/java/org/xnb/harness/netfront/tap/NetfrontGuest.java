package org.xnb.harness.netfront.tap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
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
    private NetfrontXenbus xenbus;
    private NetfrontDevice dev;
    private TapDevice tap;
    private GuestPump pump;
    private Thread thread;

    private NetfrontGuest(int domid, int devid, HarnessGuest guest, XenstoreClient xs, String namespace,
            String tapName, boolean ownsNamespace) {
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
        return start(harnessDir, xenstoredSocket, domid, devid, withTap ? GuestNamespace.name(domid) : null,
                GuestNamespace.PREFIX + domid + "v" + devid, withTap);
    }

    /**
     * As {@link #start(Path, Path, int, int, boolean)} with a TAP, in the namespace {@code ns}
     * that the caller has made and deletes (a test fixture's, with names a stale sweep knows),
     * the TAP created as {@code tapName} before it moves there.
     */
    public static NetfrontGuest startIn(Path harnessDir, Path xenstoredSocket, int domid, int devid, String ns,
            String tapName) {
        return start(harnessDir, xenstoredSocket, domid, devid, ns, tapName, false);
    }

    private static NetfrontGuest start(Path harnessDir, Path xenstoredSocket, int domid, int devid, String ns,
            String tapName, boolean ownsNamespace) {
        HarnessGuest guest = new HarnessGuest(harnessDir, domid);
        XenstoreClient xs;
        try {
            xs = XenstoreClient.connect(UnixSocketTransport.connect(Path.of(xenstoredSocket + "-dom" + domid)));
        } catch (IOException e) {
            guest.close();
            throw new UncheckedIOException("guest " + domid + ": cannot connect to its xenstore socket", e);
        }
        NetfrontGuest g = new NetfrontGuest(domid, devid, guest, xs, ns, tapName, ownsNamespace);
        try {
            if (ownsNamespace) {
                GuestNamespace.create(g.namespace);
            }
            g.xenbus = NetfrontXenbus.start(xs, domid, devid, g.new Owner());
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
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
            synchronized (NetfrontGuest.this) {
                try {
                    dev = new NetfrontDevice(guest, backendId, features.splitEventChannels());
                    if (withTap) {
                        String mac = xs.readString(xenbus.frontendPath() + "/mac").trim();
                        tap = TapDevice.open(TapConfig.builder().name(tapName)
                                .offloads(offloads(features)).build());
                        GuestNamespace.attach(tap, namespace, mac, domid);
                    }
                    pump = new GuestPump(dev, tap == null ? null : tap.queue(0));
                } catch (RuntimeException e) {
                    stopDataPath(); // the handshake fails; leave nothing half set up
                    throw e;
                }
                thread = new Thread(pump, "guest-" + domid + "-vif" + devid);
                thread.setDaemon(true);
                thread.start();
                return dev;
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
        if (pump != null) {
            pump.stop();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pump = null;
        }
        if (tap != null) {
            tap.close();
            tap = null;
        }
        if (dev != null) {
            dev.close();
            dev = null;
        }
    }

    /** Frames sent and received so far, for logs. */
    public synchronized String describe() {
        if (dev == null) {
            return "guest " + domid + ": not connected (state " + xenbus.state() + ")";
        }
        return "guest " + domid + ": tx " + dev.txFrames() + " frames (" + dev.txErrors() + " errors), rx "
                + dev.rxFrames() + " frames (" + dev.rxErrors() + " dropped), tap drops " + pump.tapDrops();
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
