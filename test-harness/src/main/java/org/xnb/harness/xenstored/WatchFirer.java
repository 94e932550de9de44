package org.xnb.harness.xenstored;

import java.util.Collection;
import org.xnb.xenstore.XsPaths;
import org.xnb.xenstore.XsPermissions;

/**
 * C's {@code fire_watches} ({@code xenstored_watch.c}): turns one change into watch events on
 * every connection whose watches match and that may see the change.
 */
final class WatchFirer implements NodeOps.ChangeSink {
    private static final int UNKNOWN = 0;
    private static final int YES = 1;
    private static final int NO = 2;

    private final Collection<Connection> connections;
    private final NodeStore store;
    private final SpecialNodes special;

    WatchFirer(Collection<Connection> connections, NodeStore store, SpecialNodes special) {
        this.connections = connections;
        this.store = store;
        this.special = special;
    }

    /**
     * Fires for a change of {@code path}. Not exact: every watch on the path or an ancestor
     * ({@code is_child(name, watch->node)}). Exact: only watches set on this very path (used
     * for nodes below a removed subtree and for the special events).
     *
     * @param node     the node as changed (for a removal: as it was), whose permissions decide
     * @param oldPerms the permissions before a SET_PERMS, so that a watcher losing access still
     *                 hears of it; otherwise {@code null}
     */
    @Override
    public void changed(String path, Node node, boolean exact, XsPermissions oldPerms) {
        boolean isSpecial = XsPaths.isSpecial(path);
        for (Connection c : connections) {
            // as C's add_event: permissions are looked at only once a watch matches, so a
            // change costs a path compare per watch, not a permission check per connection
            int allowed = UNKNOWN;
            for (Watch w : c.watches()) {
                boolean match = exact ? w.path().equals(path) : w.covers(path);
                if (!match) {
                    continue;
                }
                if (allowed == UNKNOWN) {
                    allowed = (isSpecial ? special.canSee(c.caller(), path)
                            : permitted(c.caller(), path, node, oldPerms)) ? YES : NO;
                }
                if (allowed == YES) {
                    c.event(w.eventPath(path), w.token());
                }
            }
        }
    }

    /** C's {@code fire_special_watches}: @introduceDomain / @releaseDomain. */
    void fireSpecial(String name) {
        changed(name, null, true, null);
    }

    /**
     * C's {@code watch_permitted}: the caller may read the old permissions, the node, or the
     * node's parent.
     */
    private boolean permitted(Caller caller, String path, Node node, XsPermissions oldPerms) {
        if (oldPerms != null && (Perms.forCaller(caller, oldPerms) & Perms.READ) != 0) {
            return true;
        }
        Node n = node != null ? node : store.get(path);
        if (n == null) {
            return false;
        }
        if ((Perms.forCaller(caller, n.perms()) & Perms.READ) != 0) {
            return true;
        }
        Node parent = store.get(XsPaths.parent(path));
        return parent != null && (Perms.forCaller(caller, parent.perms()) & Perms.READ) != 0;
    }
}
