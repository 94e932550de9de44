package org.xnb.netback.xenbus;

import java.util.Map;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XsPermissions;

/**
 * Plays libxl in dom0 on its own connection: writes a vif's backend and frontend directories the
 * way XEN-RIG.md says libxl does (permissions first so the keys inherit them, the frontend's
 * {@code state=1} last, one transaction), and removes a device as {@code libxl__initiate_device_generic_remove}
 * starts to ({@code online=0} + {@code state=5}).
 */
public final class Toolstack {
    public final XenstoreClient dom0;

    public Toolstack(XenstoreClient dom0) {
        this.dom0 = dom0;
    }

    public static String backend(int guest, int devid) {
        return "/local/domain/0/backend/vif/" + guest + "/" + devid;
    }

    public static String frontend(int guest, int devid) {
        return "/local/domain/" + guest + "/device/vif/" + devid;
    }

    public static String errorNode(int guest, int devid) {
        return "/local/domain/0/error/backend/vif/" + guest + "/" + devid + "/error";
    }

    public static String mac(int guest, int devid) {
        return String.format("00:16:3e:00:%02x:%02x", guest, devid);
    }

    /** Adds vif {@code guest/devid}; {@code extra} are more backend keys (rate, bridge, script). */
    public void addVif(int guest, int devid, Map<String, String> extra) {
        String be = backend(guest, devid);
        String fe = frontend(guest, devid);
        dom0.transaction(tx -> {
            tx.mkdir(be);
            tx.setPermissions(be, XsPermissions.parse("n0 r" + guest));
            tx.write(be + "/frontend", fe);
            tx.write(be + "/frontend-id", Integer.toString(guest));
            tx.write(be + "/online", "1");
            tx.write(be + "/state", "1");
            tx.write(be + "/handle", Integer.toString(devid));
            tx.write(be + "/mac", mac(guest, devid));
            tx.write(be + "/type", "vif");
            extra.forEach((k, v) -> tx.write(be + "/" + k, v));
            tx.mkdir("/local/domain/" + guest + "/device/vif");
            tx.setPermissions("/local/domain/" + guest + "/device/vif", XsPermissions.parse("n0 r" + guest));
            tx.mkdir(fe);
            tx.setPermissions(fe, XsPermissions.parse("n" + guest + " r0"));
            tx.write(fe + "/backend", be);
            tx.write(fe + "/backend-id", "0");
            tx.write(fe + "/handle", Integer.toString(devid));
            tx.write(fe + "/mac", mac(guest, devid));
            tx.write(fe + "/state", "1");
            return null;
        });
    }

    public void addVif(int guest, int devid) {
        addVif(guest, devid, Map.of());
    }

    /** What libxl writes to start removing a device; it then waits for the backend's state 6. */
    public void setOffline(int guest, int devid) {
        String be = backend(guest, devid);
        dom0.transaction(tx -> {
            tx.write(be + "/online", "0");
            tx.write(be + "/state", "5");
            return null;
        });
    }

    /** libxl's final removal of both directories. */
    public void removeVif(int guest, int devid) {
        dom0.transaction(tx -> {
            tx.rm(backend(guest, devid));
            tx.rm(frontend(guest, devid));
            return null;
        });
    }

    public String read(String path) {
        try {
            return dom0.readString(path);
        } catch (org.xnb.xenstore.XenstoreException e) {
            if (e.error() == org.xnb.xenstore.XsError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    public String backendState(int guest, int devid) {
        return read(backend(guest, devid) + "/state");
    }
}
