package org.xnb.netback.xenbus;

import java.util.List;
import java.util.function.Consumer;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsWatch;

/**
 * The backend half of one vif's xenbus handshake: Linux's {@code struct backend_info} with
 * {@code netback_probe()}, {@code frontend_changed()}, {@code set_backend_state()},
 * {@code connect()} and {@code netback_remove()} (drivers/net/xen-netback/xenbus.c),
 * re-implemented level-triggered: every watch event only schedules {@link #reconcile()}, which
 * re-reads the nodes and moves the backend one or more steps towards where the frontend, the
 * {@code online} flag and the existence of the nodes say it should be.
 *
 * <pre>
 *  probe: features, hotplug-status, state 2 (InitWait)          (frontend already 4 at probe:
 *            |                                                     re-attach, stay 4)
 *            | frontend 3 or 4: read rings + flags, connector.connect
 *            v                        \ refused: error node, state 5 (Closing)
 *       4 Connected                    \
 *            | frontend 5/6, online=0   v
 *            v                       5 Closing --frontend 6--> 6 Closed --frontend 1--> 2 InitWait
 *   connection closed, 5, then 6                                  | online=0 (or frontend gone)
 *                                                                 v
 *                                                      retired: watches removed, nothing left
 * </pre>
 *
 * <p>Every method runs on the backend's one xenbus thread ({@link XenbusBackend}); no locks.
 * The connection is closed exactly once, whatever ends it.
 */
final class VifDevice {
    private static final System.Logger LOG = System.getLogger(VifDevice.class.getName());

    /**
     * The keys {@code netback_probe()} writes, minus {@code multi-queue-max-queues} and
     * {@code feature-ctrl-ring}, which follow the connector ({@link VifConnector#maxQueues()},
     * {@link VifConnector#controlRing()}).
     */
    static final List<String[]> FEATURES = List.of(
            new String[] {"feature-sg", "1"},
            new String[] {"feature-gso-tcpv4", "1"},
            new String[] {"feature-gso-tcpv6", "1"},
            new String[] {"feature-ipv6-csum-offload", "1"},
            new String[] {"feature-rx-copy", "1"},
            new String[] {"feature-rx-flip", "0"},
            new String[] {"feature-multicast-control", "1"},
            new String[] {"feature-dynamic-multicast-control", "1"},
            new String[] {"feature-split-event-channels", "1"});

    private final XenstoreClient xs;
    private final VifId id;
    private final String backendPath;
    private final String errorPath;
    private final VifConnector connector;
    private final String watchToken;
    private final Runnable markDirty;
    private final Consumer<VifDevice> onRetired;

    private String frontendPath;
    private XsWatch frontendWatch;
    private VifConnection connection;
    /** What this backend last wrote to its {@code state} node (Linux's {@code be->state}). */
    private XenbusState state = XenbusState.INITIALISING;
    private boolean frontendSeen;
    private RateLimit rate = RateLimit.UNLIMITED;
    private String rateText;
    private boolean retired;
    private int connects;

    /**
     * @param backendDomid the domain this backend runs in (its home holds the error nodes)
     * @param markDirty    schedules {@link #reconcile()} on the xenbus thread (coalesced)
     * @param onRetired    told once, on the xenbus thread, when the device has let go of everything
     */
    VifDevice(XenstoreClient xs, int backendDomid, VifId id, String backendPath, VifConnector connector,
            String watchToken, Runnable markDirty, Consumer<VifDevice> onRetired) {
        this.xs = xs;
        this.id = id;
        this.backendPath = backendPath;
        this.errorPath = errorNodeDir(backendDomid, id);
        this.connector = connector;
        this.watchToken = watchToken;
        this.markDirty = markDirty;
        this.onRetired = onRetired;
    }

    /**
     * Where {@code xenbus_dev_fatal()} leaves its message for a backend: {@code error/<nodename>}
     * relative to the backend domain's home, key {@code error}.
     */
    static String errorNodeDir(int backendDomid, VifId id) {
        return "/local/domain/" + backendDomid + "/error/backend/vif/" + id.frontendDomid() + "/" + id.devid();
    }

    VifId id() {
        return id;
    }

    XenbusState state() {
        return state;
    }

    boolean isRetired() {
        return retired;
    }

    int connects() {
        return connects;
    }

    boolean isConnected() {
        return connection != null;
    }

    // ---------------------------------------------------------------------------- probe

    /**
     * Linux's {@code netback_probe()} + {@code backend_create_xenvif()}: checks the toolstack's
     * nodes, advertises the features, registers the frontend watch and announces InitWait, or,
     * when both ends already say Connected (this backend restarted under a running guest),
     * re-attaches to the live rings without a state change.
     */
    void probe() {
        try {
            String frontend = read(backendPath + "/frontend");
            String frontendId = read(backendPath + "/frontend-id");
            if (frontend == null || frontendId == null) {
                throw new XenbusFatalException(XenbusFatalException.ENOENT, "missing frontend or frontend-id in " + backendPath);
            }
            if (FrontendOffer.unsignedOr(frontendId, -1) != id.frontendDomid()) {
                throw new XenbusFatalException(XenbusFatalException.EINVAL, "frontend-id " + frontendId
                        + " does not match the device path " + backendPath);
            }
            if (frontend.isEmpty() || !frontend.startsWith("/") || !xs.exists(frontend)) {
                throw new XenbusFatalException(XenbusFatalException.ENOENT, "unable to read other end from "
                        + frontend + ". missing or inaccessible");
            }
            frontendPath = frontend;
            String handle = read(backendPath + "/handle");
            if (FrontendOffer.unsignedOr(handle, -1) < 0) {
                throw new XenbusFatalException(XenbusFatalException.ENOENT, "reading handle: " + handle);
            }
            if (!writeFeatures()) {
                retire("backend nodes removed during probe");
                return;
            }
            frontendWatch = xs.watch(frontendPath + "/state", watchToken, ev -> markDirty.run());
            XenbusState backendNow = XenbusState.parse(read(backendPath + "/state"));
            XenbusState frontendNow = XenbusState.parse(read(frontendPath + "/state"));
            if (backendNow == XenbusState.CONNECTED && frontendNow == XenbusState.CONNECTED && online()) {
                state = XenbusState.CONNECTED;
                frontendSeen = true;
                LOG.log(System.Logger.Level.INFO, id + ": both ends already Connected, re-attaching to the live rings");
                connect(AttachMode.RESUME_LIVE);
            } else {
                switchState(XenbusState.INIT_WAIT);
            }
        } catch (XenbusFatalException e) {
            fatal(e);
            if (frontendWatch == null) {
                retire("probe failed");
            }
        }
    }

    /** The feature keys and {@code hotplug-status}, in one transaction, only if the directory exists. */
    private boolean writeFeatures() {
        return xs.transaction(tx -> {
            if (!tx.exists(backendPath + "/frontend")) {
                return false;
            }
            for (String[] kv : FEATURES) {
                tx.write(backendPath + "/" + kv[0], kv[1]);
            }
            // Linux writes both unconditionally (xenvif_max_queues, default num_online_cpus())
            tx.write(backendPath + "/multi-queue-max-queues", Integer.toString(connector.maxQueues()));
            if (connector.controlRing()) {
                tx.write(backendPath + "/feature-ctrl-ring", "1");
            }
            // we are our own hotplug script: Linux waits for the script's hotplug-status=connected
            tx.write(backendPath + "/hotplug-status", "connected");
            return true;
        });
    }

    // ------------------------------------------------------------------------ reconcile

    /** Re-reads everything and acts; called for every (coalesced) watch event. */
    void reconcile() {
        if (retired) {
            return;
        }
        if (!xs.exists(backendPath)) {
            disconnect("backend nodes removed");
            removeErrorNode();
            retire("backend nodes removed");
            return;
        }
        updateRate();
        String feState = frontendPath == null ? null : read(frontendPath + "/state");
        if (feState != null) {
            frontendSeen = true;
        }
        XenbusState fe = XenbusState.parse(feState);
        if (!online()) {
            offline(fe);
            return;
        }
        if (feState == null && !frontendSeen) {
            return; // the frontend's nodes are not written yet
        }
        frontendChanged(fe);
    }

    /** Linux's {@code frontend_changed()} with the device online. */
    private void frontendChanged(XenbusState fe) {
        switch (fe) {
            case INITIALISING -> {
                // a frontend (re)starting: back to InitWait from wherever we are (set_backend_state)
                if (state == XenbusState.CONNECTED) {
                    disconnect("frontend restarted (Initialising)");
                    switchState(XenbusState.CLOSING);
                }
                if (state == XenbusState.CLOSING) {
                    switchState(XenbusState.CLOSED);
                }
                if (state == XenbusState.CLOSED) {
                    switchState(XenbusState.INIT_WAIT);
                }
            }
            case INITIALISED, CONNECTED -> {
                if (state == XenbusState.CLOSED) {
                    switchState(XenbusState.INIT_WAIT);
                }
                if (state == XenbusState.INIT_WAIT) {
                    connect(AttachMode.FRESH);
                }
            }
            case CLOSING -> {
                if (state == XenbusState.CONNECTED || state == XenbusState.INIT_WAIT) {
                    disconnect("frontend Closing");
                    switchState(XenbusState.CLOSING);
                }
            }
            case CLOSED -> {
                disconnect("frontend Closed");
                if (state == XenbusState.CONNECTED || state == XenbusState.INIT_WAIT) {
                    switchState(XenbusState.CLOSING);
                }
                if (state != XenbusState.CLOSED) {
                    switchState(XenbusState.CLOSED);
                }
            }
            case UNKNOWN -> {
                // the frontend's nodes went away under us: Linux unregisters the device
                disconnect("frontend state vanished");
                closeAndRetire("frontend state vanished");
            }
            case INIT_WAIT, RECONFIGURING, RECONFIGURED -> {
                // nothing to do: InitWait is the backend's state; XDP reconfiguration is not offered
            }
        }
    }

    /**
     * {@code online=0}: the toolstack is removing the device (libxl writes it with state 5 and
     * waits for 6). Disconnect, say Closing, and say Closed once the frontend has closed or
     * cannot answer; then let go ({@code frontend_changed()}'s "Closed and not online" case).
     */
    private void offline(XenbusState fe) {
        disconnect("online=0 (toolstack removing the device)");
        if (state != XenbusState.CLOSED && state != XenbusState.CLOSING) {
            switchState(XenbusState.CLOSING);
        }
        boolean frontendActive = switch (fe) {
            case INIT_WAIT, INITIALISED, CONNECTED, CLOSING, RECONFIGURING, RECONFIGURED -> true;
            default -> false;
        };
        if (!frontendActive) {
            closeAndRetire("offline");
        }
    }

    /** {@code @releaseDomain} found the frontend's domain gone: nobody will answer any more. */
    void domainGone() {
        if (retired) {
            return;
        }
        disconnect("frontend domain " + id.frontendDomid() + " is gone");
        closeAndRetire("frontend domain " + id.frontendDomid() + " is gone");
    }

    /** Backend shutdown: stop the data path and the watch, leave xenstore as it is (a restart re-attaches). */
    void detach() {
        if (retired) {
            return;
        }
        disconnect("backend stopping, nodes left for a restart");
        closeWatch();
        retired = true;
    }

    /**
     * Backend going away for good (the daemon's SIGTERM, Linux {@code netback_remove} on module
     * unload): stop the data path, say Closing then Closed so the frontend lets go of its rings,
     * stop watching. The nodes stay: they are the toolstack's.
     */
    void shutdown() {
        if (retired) {
            return;
        }
        disconnect("backend stopping");
        try {
            if (state != XenbusState.CLOSED) {
                if (state != XenbusState.CLOSING) {
                    switchState(XenbusState.CLOSING);
                }
                switchState(XenbusState.CLOSED);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, id + ": could not write Closing/Closed: " + e);
        }
        closeWatch();
        retired = true;
    }

    /**
     * Something unexpected (a xenstore error or timeout) while handling this device: log it,
     * leave a clean state (data path closed, Closing if the nodes still exist).
     */
    void failed(RuntimeException e) {
        if (retired) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, id + ": failed: " + e);
        disconnect("failed: " + e.getMessage());
        try {
            switchState(XenbusState.CLOSING);
        } catch (RuntimeException again) {
            LOG.log(System.Logger.Level.WARNING, id + ": could not write Closing either: " + again);
        }
    }

    // -------------------------------------------------------------------------- connect

    /** Linux's {@code connect()}: the backend's config, the frontend's offer, then the data path. */
    private void connect(AttachMode mode) {
        try {
            VifConfig config = readConfig();
            FrontendOffer offer = FrontendOffer.read(key -> read(frontendPath + "/" + key), connector.maxQueues(),
                    connector.controlRing());
            VifConnection c;
            try {
                c = connector.connect(id, id.frontendDomid(), offer, config, mode);
            } catch (Exception e) {
                throw new XenbusFatalException(XenbusFatalException.EINVAL, "connecting the data path: " + e.getMessage(), e);
            }
            if (c == null) {
                throw new XenbusFatalException(XenbusFatalException.EINVAL, "connecting the data path: no connection");
            }
            connection = c;
            connects++;
            if (state != XenbusState.CONNECTED) {
                switchState(XenbusState.CONNECTED);
            }
            LOG.log(System.Logger.Level.INFO, id + ": connected (" + mode + ") " + offer.queues().size() + " queue(s) "
                    + offer.queues() + (offer.ctrl() == null ? "" : " " + offer.ctrl()) + " " + offer.features());
        } catch (XenbusFatalException e) {
            fatal(e);
        }
    }

    private VifConfig readConfig() throws XenbusFatalException {
        String mac = read(backendPath + "/mac");
        if (mac == null || !VifConfig.isMac(mac)) {
            throw new XenbusFatalException(mac == null ? XenbusFatalException.ENOENT : XenbusFatalException.EINVAL,
                    "parsing " + backendPath + "/mac: " + mac);
        }
        long handle = FrontendOffer.unsignedOr(read(backendPath + "/handle"), -1);
        if (handle < 0) {
            throw new XenbusFatalException(XenbusFatalException.ENOENT, "reading handle");
        }
        updateRate();
        return new VifConfig(handle, mac, read(backendPath + "/bridge"), read(backendPath + "/script"), rate);
    }

    /** Linux's {@code xen_net_read_rate()} + {@code xen_net_rate_changed()}. */
    private void updateRate() {
        String text = read(backendPath + "/rate");
        if (java.util.Objects.equals(text, rateText)) {
            return;
        }
        rateText = text;
        RateLimit next;
        try {
            next = RateLimit.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, id + ": failed to parse network rate limit, traffic unlimited: "
                    + e.getMessage());
            next = RateLimit.UNLIMITED;
        }
        if (next.equals(rate)) {
            return;
        }
        rate = next;
        if (connection != null) {
            connection.rateChanged(next);
        }
    }

    // ---------------------------------------------------------------------- the endings

    /** {@code xenbus_dev_fatal()}: one log line, the error node, the data path closed, Closing. */
    private void fatal(XenbusFatalException e) {
        LOG.log(System.Logger.Level.WARNING, id + ": " + e.getMessage());
        disconnect(e.getMessage());
        try {
            xs.write(errorPath + "/error", e.nodeValue());
        } catch (XenstoreException we) {
            LOG.log(System.Logger.Level.WARNING, id + ": failed to write error node for " + backendPath + ": " + we);
        }
        switchState(XenbusState.CLOSING);
    }

    private void disconnect(String why) {
        VifConnection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, id + ": closing the data path failed: " + e);
        }
        LOG.log(System.Logger.Level.INFO, id + ": disconnected (" + why + ")");
    }

    private void closeAndRetire(String why) {
        if (state != XenbusState.CLOSED) {
            if (state == XenbusState.CONNECTED || state == XenbusState.INIT_WAIT) {
                switchState(XenbusState.CLOSING);
            }
            switchState(XenbusState.CLOSED);
        }
        retire(why);
    }

    private void retire(String why) {
        if (retired) {
            return;
        }
        closeWatch();
        retired = true;
        LOG.log(System.Logger.Level.INFO, id + ": released (" + why + ")");
        onRetired.accept(this);
    }

    private void closeWatch() {
        XsWatch w = frontendWatch;
        frontendWatch = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, id + ": unwatch failed: " + e);
            }
        }
    }

    private void removeErrorNode() {
        try {
            xs.rm(errorPath);
        } catch (XenstoreException e) {
            if (e.error() != XsError.ENOENT) {
                LOG.log(System.Logger.Level.WARNING, id + ": removing " + errorPath + ": " + e);
            }
        }
    }

    // -------------------------------------------------------------------------- helpers

    /**
     * Linux's {@code __xenbus_switch_state()}: writes {@code state} only while the node exists,
     * in a transaction, so a device being removed is not brought back by our write.
     */
    private void switchState(XenbusState next) {
        state = next;
        String node = backendPath + "/state";
        boolean written = xs.transaction(tx -> {
            if (!tx.exists(node)) {
                return false;
            }
            tx.write(node, Integer.toString(next.code()));
            return true;
        });
        LOG.log(System.Logger.Level.DEBUG, () -> id + ": state " + next + (written ? "" : " (node gone, not written)"));
    }

    /** Linux's {@code xenbus_dev_is_online()}: absent reads as 0. */
    private boolean online() {
        return FrontendOffer.unsignedOr(read(backendPath + "/online"), 0) != 0;
    }

    /** A node's value, or {@code null} when it does not exist. */
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
}
