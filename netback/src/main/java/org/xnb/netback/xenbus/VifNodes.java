package org.xnb.netback.xenbus;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermissions;

/**
 * Plays libxl's part for a vif on a privileged (dom0) xenstore connection: writes a vif's backend
 * and frontend directories the way XEN-RIG.md says libxl does (permissions first so the keys
 * inherit them, the frontend's {@code state=1} last, one transaction), and removes a device as
 * {@code libxl__initiate_device_generic_remove} does: {@code online=0} + {@code state=5}, then,
 * once the backend reports Closed (or after a bounded wait), both directories.
 *
 * <pre>
 *  /local/domain/B/backend/vif/D/N   n&lt;B&gt; r&lt;D&gt;   frontend frontend-id online=1 state=1 handle mac type=vif [bridge rate script]
 *  /local/domain/D/device/vif        n&lt;B&gt; r&lt;D&gt;
 *  /local/domain/D/device/vif/N      n&lt;D&gt; r&lt;B&gt;   backend backend-id handle mac state=1 (last)
 * </pre>
 *
 * Used by {@code bin/xnb attach|detach} and by the tests that play the toolstack.
 */
public final class VifNodes {
    /** How long {@link #remove} waits for the backend's Closed (libxl waits 10 s too). */
    public static final Duration DEFAULT_REMOVE_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 20;

    public final XenstoreClient dom0;
    private final int backendDomid;

    /** Nodes for backend domain 0. */
    public VifNodes(XenstoreClient dom0) {
        this(dom0, 0);
    }

    public VifNodes(XenstoreClient dom0, int backendDomid) {
        this.dom0 = dom0;
        this.backendDomid = backendDomid;
    }

    public static String backend(int backendDomid, int guest, int devid) {
        return "/local/domain/" + backendDomid + "/backend/vif/" + guest + "/" + devid;
    }

    /** The backend directory when dom0 is the backend. */
    public static String backend(int guest, int devid) {
        return backend(0, guest, devid);
    }

    public static String frontend(int guest, int devid) {
        return "/local/domain/" + guest + "/device/vif/" + devid;
    }

    public static String errorNode(int guest, int devid) {
        return "/local/domain/0/error/backend/vif/" + guest + "/" + devid + "/error";
    }

    /** A fixed MAC per (guest, devid) in Xen's OUI, for tests: {@code 00:16:3e:00:<guest>:<devid>}. */
    public static String mac(int guest, int devid) {
        return String.format("00:16:3e:00:%02x:%02x", guest & 0xff, devid & 0xff);
    }

    public String backendPath(int guest, int devid) {
        return backend(backendDomid, guest, devid);
    }

    /** Adds vif {@code guest/devid} with the test MAC {@link #mac(int, int)}. */
    public void addVif(int guest, int devid) {
        addVif(guest, devid, Map.of());
    }

    /** Adds vif {@code guest/devid} with the test MAC; {@code extra} are more backend keys (rate, bridge, script). */
    public void addVif(int guest, int devid, Map<String, String> extra) {
        addVif(guest, devid, mac(guest, devid), extra);
    }

    /** Adds vif {@code guest/devid} with {@code mac}; {@code extra} are more backend keys (rate, bridge, script). */
    public void addVif(int guest, int devid, String mac, Map<String, String> extra) {
        String be = backendPath(guest, devid);
        String fe = frontend(guest, devid);
        String feDir = "/local/domain/" + guest + "/device/vif";
        dom0.transaction(tx -> {
            tx.mkdir(be);
            tx.setPermissions(be, XsPermissions.parse("n" + backendDomid + " r" + guest));
            tx.write(be + "/frontend", fe);
            tx.write(be + "/frontend-id", Integer.toString(guest));
            tx.write(be + "/online", "1");
            tx.write(be + "/state", "1");
            tx.write(be + "/handle", Integer.toString(devid));
            tx.write(be + "/mac", mac);
            tx.write(be + "/type", "vif");
            extra.forEach((k, v) -> tx.write(be + "/" + k, v));
            tx.mkdir(feDir);
            tx.setPermissions(feDir, XsPermissions.parse("n" + backendDomid + " r" + guest));
            tx.mkdir(fe);
            tx.setPermissions(fe, XsPermissions.parse("n" + guest + " r" + backendDomid));
            tx.write(fe + "/backend", be);
            tx.write(fe + "/backend-id", Integer.toString(backendDomid));
            tx.write(fe + "/handle", Integer.toString(devid));
            tx.write(fe + "/mac", mac);
            tx.write(fe + "/state", "1");
            return null;
        });
    }

    /** The lowest devid with neither a backend nor a frontend directory for {@code guest}. */
    public int firstFreeDevid(int guest) {
        Set<String> used = new HashSet<>(list("/local/domain/" + backendDomid + "/backend/vif/" + guest));
        used.addAll(list("/local/domain/" + guest + "/device/vif"));
        int devid = 0;
        while (used.contains(Integer.toString(devid))) {
            devid++;
        }
        return devid;
    }

    /** Whether vif {@code guest/devid} has a backend directory. */
    public boolean exists(int guest, int devid) {
        return dom0.exists(backendPath(guest, devid));
    }

    /** What libxl writes to start removing a device; it then waits for the backend's state 6. */
    public void setOffline(int guest, int devid) {
        String be = backendPath(guest, devid);
        dom0.transaction(tx -> {
            tx.write(be + "/online", "0");
            tx.write(be + "/state", "5");
            return null;
        });
    }

    /** libxl's final removal of both directories. */
    public void removeVif(int guest, int devid) {
        dom0.transaction(tx -> {
            tx.rm(backendPath(guest, devid));
            tx.rm(frontend(guest, devid));
            return null;
        });
    }

    /**
     * Removes vif {@code guest/devid} as libxl does: {@link #setOffline}, waits until the backend
     * writes Closed (6) or its directory goes, at most {@code wait}, then {@link #removeVif}.
     *
     * @return true if the backend reached Closed within {@code wait} (false: removed anyway)
     */
    public boolean remove(int guest, int devid, Duration wait) throws InterruptedException {
        setOffline(guest, devid);
        boolean closed = awaitBackendState(guest, devid, XenbusState.CLOSED, wait);
        removeVif(guest, devid);
        return closed;
    }

    /** Polls the backend's {@code state} until it is {@code state} or gone; false after {@code wait}. */
    public boolean awaitBackendState(int guest, int devid, XenbusState state, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String want = Integer.toString(state.code());
        while (true) {
            String now = backendState(guest, devid);
            if (now == null || now.equals(want)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
    }

    public String read(String path) {
        try {
            return dom0.readString(path);
        } catch (XenstoreException e) {
            if (e.error() == XsError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    public String backendState(int guest, int devid) {
        return read(backendPath(guest, devid) + "/state");
    }

    private List<String> list(String path) {
        try {
            return dom0.directory(path);
        } catch (XenstoreException e) {
            if (e.error() == XsError.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }
}
