package org.xnb.harness.netfront;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsWatch;

/**
 * The xenbus side of a guest's netfront for vif {@code devid}, on the guest's own xenstore
 * connection (so every key it writes is the guest's, with the permissions the toolstack gave the
 * frontend directory). It follows Linux 6.1's xen-netfront ({@code netback_changed},
 * {@code talk_to_netback}):
 *
 * <pre>
 *  backend state        we do
 *  InitWait (2)         if we are Initialising: read the backend's features, let the owner set
 *                       up the rings ({@link Owner#connect}), write in one transaction
 *                       tx-ring-ref, rx-ring-ref, event-channel-tx/-rx (or event-channel),
 *                       request-rx-copy=1, feature-rx-notify=1, feature-sg=1,
 *                       feature-gso-tcpv4=1, feature-gso-tcpv6=1, feature-ipv6-csum-offload=1
 *                       (multi-queue-num-queues if the backend offers queues: min(its maximum,
 *                       ours); with several queues their keys under queue-N/), then state=4
 *  Closing (5)          stop the data path ({@link Owner#disconnect}), state=6 (xenbus_frontend_closed)
 *  Closed (6)           the same, if not Closed already
 * </pre>
 *
 * <p>Watch events run on the client's dispatcher thread, which is where all of this happens.
 * One handshake per instance: after Closed it does not reconnect.
 */
public final class NetfrontXenbus implements AutoCloseable {
    public static final int INITIALISING = 1;
    public static final int INIT_WAIT = 2;
    public static final int CONNECTED = 4;
    public static final int CLOSING = 5;
    public static final int CLOSED = 6;

    /** What the guest does with the data path. */
    public interface Owner {
        /** Sets up the rings and event channels for this backend (on the watch thread). */
        NetfrontDevice connect(int backendId, BackendFeatures features);

        /**
         * Sets up {@code queues} queues ({@code xennet_create_queues} + {@code setup_netfront} for
         * each); the default, a single-queue owner, sets up one.
         */
        default List<NetfrontDevice> connectQueues(int backendId, BackendFeatures features, int queues) {
            return List.of(connect(backendId, features));
        }

        /** Stops using the rings; the backend is going away. */
        void disconnect();
    }

    private final XenstoreClient xs;
    private final String frontend;
    private final String backend;
    private final int backendId;
    private final Owner owner;
    /** Linux's {@code xennet_max_queues}: the most queues this frontend wants. */
    private final int maxQueues;
    private final CountDownLatch connected = new CountDownLatch(1);
    private volatile int state = INITIALISING;
    private volatile String failure;
    private XsWatch watch;

    private NetfrontXenbus(XenstoreClient xs, String frontend, String backend, int backendId, Owner owner,
            int maxQueues) {
        this.maxQueues = maxQueues;
        this.xs = xs;
        this.frontend = frontend;
        this.backend = backend;
        this.backendId = backendId;
        this.owner = owner;
    }

    /**
     * Starts the handshake of guest {@code domid}'s vif {@code devid}: reads where the backend is
     * (the frontend directory's {@code backend} and {@code backend-id}) and watches its state.
     */
    public static NetfrontXenbus start(XenstoreClient guestXs, int domid, int devid, Owner owner) {
        return start(guestXs, domid, devid, owner, 1);
    }

    /** As above, asking for up to {@code maxQueues} queues ({@code xennet_max_queues}). */
    public static NetfrontXenbus start(XenstoreClient guestXs, int domid, int devid, Owner owner, int maxQueues) {
        if (maxQueues < 1) {
            throw new IllegalArgumentException("queues must be >= 1: " + maxQueues);
        }
        String fe = "/local/domain/" + domid + "/device/vif/" + devid;
        String be = guestXs.readString(fe + "/backend");
        int beId = Integer.parseInt(guestXs.readString(fe + "/backend-id").trim());
        NetfrontXenbus x = new NetfrontXenbus(guestXs, fe, be, beId, owner, maxQueues);
        x.watch = guestXs.watch(be + "/state", "netfront-" + devid, e -> x.backendChanged());
        return x;
    }

    public String frontendPath() {
        return frontend;
    }

    public String backendPath() {
        return backend;
    }

    public int backendId() {
        return backendId;
    }

    /** Our xenbus state as last written. */
    public int state() {
        return state;
    }

    /** Waits until we wrote Connected; throws with the reason if the handshake failed or timed out. */
    public void awaitConnected(Duration timeout) throws InterruptedException {
        if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(frontend + ": backend " + backend + " did not reach InitWait within "
                    + timeout.toSeconds() + " s (backend state " + read(backend + "/state") + ")");
        }
        if (failure != null) {
            throw new IllegalStateException(frontend + ": " + failure);
        }
    }

    private synchronized void backendChanged() {
        String raw = read(backend + "/state");
        int be = raw == null ? 0 : parseState(raw);
        try {
            if (be == INIT_WAIT && state == INITIALISING) {
                talkToNetback();
            } else if ((be == CLOSING || be == CLOSED) && state != CLOSED) {
                owner.disconnect();
                switchState(CLOSED);
            }
        } catch (RuntimeException e) {
            failure = e.toString();
            System.err.println(frontend + ": handshake failed: " + e);
            e.printStackTrace();
            connected.countDown();
        }
    }

    private void talkToNetback() {
        BackendFeatures features = BackendFeatures.read(key -> read(backend + "/" + key));
        if (!features.rxCopy()) {
            throw new IllegalStateException("backend " + backend + " does not offer feature-rx-copy");
        }
        // talk_to_netback: num_queues = min(multi-queue-max-queues (absent: 1), xennet_max_queues)
        int queues = Math.max(1, Math.min(features.multiQueueMaxQueues(), maxQueues));
        List<NetfrontDevice> devs = owner.connectQueues(backendId, features, queues);
        xs.transaction(tx -> {
            if (features.multiQueueMaxQueues() > 0) {
                tx.write(frontend + "/multi-queue-num-queues", Integer.toString(devs.size()));
            }
            for (int q = 0; q < devs.size(); q++) {
                // write_queue_xenstore_keys: flat for one queue, hierarchical (queue-N/) for more
                String dir = devs.size() == 1 ? frontend : frontend + "/queue-" + q;
                NetfrontDevice dev = devs.get(q);
                tx.write(dir + "/tx-ring-ref", Integer.toString(dev.txRingRef()));
                tx.write(dir + "/rx-ring-ref", Integer.toString(dev.rxRingRef()));
                if (dev.split()) {
                    tx.write(dir + "/event-channel-tx", Integer.toString(dev.txPort()));
                    tx.write(dir + "/event-channel-rx", Integer.toString(dev.rxPort()));
                } else {
                    tx.write(dir + "/event-channel", Integer.toString(dev.txPort()));
                }
            }
            tx.write(frontend + "/request-rx-copy", "1");
            tx.write(frontend + "/feature-rx-notify", "1");
            tx.write(frontend + "/feature-sg", "1");
            tx.write(frontend + "/feature-gso-tcpv4", "1");
            tx.write(frontend + "/feature-gso-tcpv6", "1");
            tx.write(frontend + "/feature-ipv6-csum-offload", "1");
            return null;
        });
        switchState(CONNECTED);
        connected.countDown();
    }

    private void switchState(int next) {
        xs.write(frontend + "/state", Integer.toString(next));
        state = next;
    }

    private String read(String path) {
        try {
            return xs.readString(path);
        } catch (XenstoreException e) {
            if (e.error() == XsError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    private static int parseState(String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops watching; writes nothing (the guest "dies" as far as xenstore is concerned). */
    @Override
    public void close() {
        XsWatch w = watch;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException ignored) {
                // the connection may be gone already
            }
        }
    }
}
