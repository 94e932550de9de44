package org.xnb.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.BackendFeatures;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.NetfrontXenbus;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * A guest of {@code xnb bench lanes}: its memory in the harness, its own xenstore connection, the
 * netfront handshake as Linux does it ({@link NetfrontXenbus}) and one queue's rings
 * ({@link NetfrontDevice}). It has no thread of its own: a {@link PairTraffic} drives its rings,
 * and an idle guest simply does nothing (as a guest with no traffic costs dom0 nothing).
 */
final class BenchGuest implements AutoCloseable {
    private final int domid;
    private final HarnessGuest guest;
    private final XenstoreClient xs;
    private NetfrontXenbus xenbus;
    private volatile NetfrontDevice device;

    private BenchGuest(int domid, HarnessGuest guest, XenstoreClient xs) {
        this.domid = domid;
        this.guest = guest;
        this.xs = xs;
    }

    /** Starts guest {@code domid}'s netfront for vif 0 (the toolstack wrote its nodes); returns at once. */
    static BenchGuest start(Path harnessDir, Path guestSocket, int domid) {
        HarnessGuest guest = new HarnessGuest(harnessDir, domid);
        XenstoreClient xs;
        try {
            xs = XenstoreClient.connect(UnixSocketTransport.connect(guestSocket));
        } catch (IOException e) {
            guest.close();
            throw new UncheckedIOException("guest " + domid + ": cannot connect to its xenstore socket", e);
        }
        BenchGuest g = new BenchGuest(domid, guest, xs);
        try {
            g.xenbus = NetfrontXenbus.start(xs, domid, 0, new NetfrontXenbus.Owner() {
                @Override
                public NetfrontDevice connect(int backendId, BackendFeatures features) {
                    NetfrontDevice d = new NetfrontDevice(guest, backendId, features.splitEventChannels());
                    g.device = d;
                    return d;
                }

                @Override
                public void disconnect() {
                    // the bench closes guests only at its end
                }
            });
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    int domid() {
        return domid;
    }

    /** The MAC the toolstack gave vif 0 ({@code VifNodes.mac}). */
    long mac() {
        return 0x00163e000000L | (domid & 0xff) << 8;
    }

    void awaitConnected(Duration timeout) throws InterruptedException {
        xenbus.awaitConnected(timeout);
    }

    /** The rings, once connected. */
    NetfrontDevice device() {
        NetfrontDevice d = device;
        if (d == null) {
            throw new IllegalStateException("guest " + domid + " is not connected");
        }
        return d;
    }

    @Override
    public void close() {
        if (xenbus != null) {
            xenbus.close();
        }
        NetfrontDevice d = device;
        if (d != null) {
            d.close();
        }
        xs.close();
        guest.close();
    }
}
