package org.xnb.harness.xenstored;

import org.xnb.xenstore.XsPermission;
import org.xnb.xenstore.XsPermissions;

/** C's {@code perm_for_conn}: what a caller may do with a node of given permissions. */
final class Perms {
    static final int READ = 1;
    static final int WRITE = 2;
    static final int OWNER = 8;
    static final int ALL = READ | WRITE | OWNER;

    private Perms() {
    }

    /**
     * Dom0 and the owner get everything; otherwise the first entry naming the caller's domain
     * decides; otherwise the owner entry's letter (the default).
     */
    static int forCaller(Caller caller, XsPermissions perms) {
        if (caller.privileged() || perms.owner() == caller.domid()) {
            return ALL;
        }
        var entries = perms.entries();
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).domid() == caller.domid()) {
                return bits(entries.get(i).access());
            }
        }
        return bits(perms.defaultAccess());
    }

    private static int bits(XsPermission.Access a) {
        return (a.canRead() ? READ : 0) | (a.canWrite() ? WRITE : 0);
    }
}
