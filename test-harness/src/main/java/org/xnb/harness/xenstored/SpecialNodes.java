package org.xnb.harness.xenstored;

import java.util.HashMap;
import java.util.Map;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPaths;
import org.xnb.xenstore.XsPermissions;

/**
 * Permissions of the special watch paths {@code @introduceDomain} and {@code @releaseDomain}
 * (C's {@code dom_introduce_perms} / {@code dom_release_perms}): {@code n0} at start, so only
 * dom0 sees these events unless dom0 grants a guest read with SET_PERMS.
 */
final class SpecialNodes {
    private final Map<String, XsPermissions> perms = new HashMap<>();

    SpecialNodes() {
        perms.put(XsPaths.INTRODUCE_DOMAIN, XsPermissions.ownedBy(0));
        perms.put(XsPaths.RELEASE_DOMAIN, XsPermissions.ownedBy(0));
    }

    /** C's {@code set_perms_special}: unknown names are ENOENT, non-owners EACCES. */
    void setPerms(Caller caller, String name, XsPermissions p) throws XsFailure {
        XsPermissions cur = perms.get(name);
        if (cur == null) {
            throw new XsFailure(XsError.ENOENT);
        }
        int need = Perms.WRITE | Perms.OWNER;
        if ((Perms.forCaller(caller, cur) & need) != need) {
            throw new XsFailure(XsError.EACCES);
        }
        perms.put(name, p);
    }

    /** C's {@code check_perms_special}: may this caller receive events for {@code name}? */
    boolean canSee(Caller caller, String name) {
        XsPermissions p = perms.get(name);
        return p != null && (Perms.forCaller(caller, p) & Perms.READ) != 0;
    }
}
