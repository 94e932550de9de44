package org.xnb.harness.xenstored;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.xnb.xenstore.XsPermissions;

/**
 * The main tree: every committed node by path, the global generation counter, and how many
 * nodes each domain owns. Touched only by the server's event-loop thread, so, like C
 * xenstored, it needs no locking.
 *
 * <p>Starts as C's {@code setup_structure} leaves it: {@code /}, {@code /tool} and
 * {@code /tool/xenstored}, all {@code n0}.
 */
final class NodeStore implements TreeView {
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<Integer, Integer> owned = new HashMap<>();
    private long generation;

    NodeStore() {
        XsPermissions n0 = XsPermissions.ownedBy(0);
        put(new Node("/", new byte[0], n0, List.of("tool"), 0));
        put(new Node("/tool", new byte[0], n0, List.of("xenstored"), 0));
        put(new Node("/tool/xenstored", new byte[0], n0, List.of(), 0));
    }

    @Override
    public Node get(String path) {
        return nodes.get(path);
    }

    @Override
    public void put(Node node) {
        Node stamped = node.withGeneration(nextGeneration());
        Node old = nodes.put(stamped.name(), stamped);
        if (old != null) {
            adjustOwned(old.owner(), -1);
        }
        adjustOwned(stamped.owner(), +1);
    }

    @Override
    public void remove(String path) {
        Node old = nodes.remove(path);
        if (old != null) {
            adjustOwned(old.owner(), -1);
        }
    }

    @Override
    public int ownedNodes(int domid) {
        return owned.getOrDefault(domid, 0);
    }

    /** C's global {@code generation++}: every written node version gets a new value. */
    long nextGeneration() {
        return ++generation;
    }

    int size() {
        return nodes.size();
    }

    /** Visits every node (no order), for whole-tree fix-ups such as releasing a domain. */
    void forEach(Consumer<Node> visitor) {
        for (Node n : List.copyOf(nodes.values())) {
            visitor.accept(n);
        }
    }

    /** Replaces a node's permissions without a new generation (an ownership fix-up, not a change). */
    void replacePermsQuietly(String path, XsPermissions perms) {
        Node old = nodes.get(path);
        if (old != null) {
            nodes.put(path, old.withPerms(perms));
            adjustOwned(old.owner(), -1);
            adjustOwned(perms.owner(), +1);
        }
    }

    private void adjustOwned(int domid, int delta) {
        owned.merge(domid, delta, Integer::sum);
    }
}
