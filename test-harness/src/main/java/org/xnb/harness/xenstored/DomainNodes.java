package org.xnb.harness.xenstored;

import java.util.ArrayList;
import java.util.List;
import org.xnb.xenstore.XsPaths;
import org.xnb.xenstore.XsPermission;
import org.xnb.xenstore.XsPermissions;

/**
 * What introducing and releasing a domain does to the tree and to watchers; the sockets are the
 * server's business.
 */
final class DomainNodes {
    private static final Caller DOM0 = new Caller(0);

    private final NodeStore store;
    private final NodeOps ops;
    private final WatchFirer firer;

    DomainNodes(NodeStore store, NodeOps ops, WatchFirer firer) {
        this.store = store;
        this.ops = ops;
        this.firer = firer;
    }

    /**
     * Makes {@code /local/domain/<domid>} exist owned by the domain ({@code n<domid>}), as the
     * toolstack does before INTRODUCE on real Xen, then fires {@code @introduceDomain}
     * ({@code introduce_domain}).
     */
    void introduced(int domid) throws XsFailure {
        String home = XsPaths.domainPath(domid);
        Node node = store.get(home);
        if (node == null) {
            ops.createNode(store, DOM0, home, new byte[0]);
            Node created = store.get(home).withPerms(XsPermissions.ownedBy(domid));
            store.put(created);
            firer.changed(home, created, false, null);
        } else if (node.owner() != domid) {
            Node owned = node.withPerms(withOwner(node.perms(), domid));
            store.put(owned);
            firer.changed(home, owned, false, node.perms());
        }
        firer.fireSpecial(XsPaths.INTRODUCE_DOMAIN);
    }

    /**
     * Hands the domain's nodes to dom0 and drops its permission entries, so that a later domain
     * with the same id inherits nothing (C does this lazily since XSA-322,
     * {@code domain_adjust_node_perms}), then fires {@code @releaseDomain}.
     */
    void released(int domid) {
        store.forEach(n -> {
            XsPermissions p = n.perms();
            if (p.entries().stream().anyMatch(e -> e.domid() == domid)) {
                store.replacePermsQuietly(n.name(), withoutDomain(p, domid));
            }
        });
        firer.fireSpecial(XsPaths.RELEASE_DOMAIN);
    }

    private static XsPermissions withOwner(XsPermissions p, int owner) {
        List<XsPermission> e = new ArrayList<>(p.entries());
        e.set(0, new XsPermission(owner, e.get(0).access()));
        return XsPermissions.of(e);
    }

    private static XsPermissions withoutDomain(XsPermissions p, int domid) {
        List<XsPermission> out = new ArrayList<>();
        XsPermission owner = p.entries().get(0);
        out.add(owner.domid() == domid ? new XsPermission(0, owner.access()) : owner);
        for (int i = 1; i < p.entries().size(); i++) {
            if (p.entries().get(i).domid() != domid) {
                out.add(p.entries().get(i));
            }
        }
        return XsPermissions.of(out);
    }
}
