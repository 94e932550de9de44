package org.xnb.harness.xenstored;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermissions;

/**
 * An open transaction, done C's way ({@code xenstored_transaction.c}): the transaction sees its
 * own changes over the live tree; for every node it touches (read or written, existing or not)
 * it records the node's generation in the main tree at first access ({@code access_node}); at
 * commit ({@code finalize_transaction}) it fails with EAGAIN if any of them changed meanwhile,
 * otherwise its changes go into the main tree and the watch events it queued
 * ({@code queue_watches}) fire then.
 */
final class Transaction implements TreeView {
    /** Generation recorded for a node that did not exist ({@code NO_GENERATION}). */
    private static final long ABSENT = -1;

    /** A change whose watch events wait for the commit. */
    record QueuedEvent(String path, Node node, boolean exact, XsPermissions oldPerms) {
    }

    private final int id;
    private final NodeStore base;
    /** Paths this transaction changed; a {@code null} value means removed. */
    private final Map<String, Node> changed = new LinkedHashMap<>();
    private final Map<String, Long> accessed = new HashMap<>();
    private final Map<Integer, Integer> ownedDelta = new HashMap<>();
    private final List<QueuedEvent> events = new ArrayList<>();
    /** C's {@code ta_node_created}. */
    private boolean nodeCreated;

    Transaction(int id, NodeStore base) {
        this.id = id;
        this.base = base;
    }

    int id() {
        return id;
    }

    @Override
    public Node get(String path) {
        touch(path);
        return visible(path);
    }

    @Override
    public void put(Node node) {
        touch(node.name());
        Node old = visible(node.name());
        if (old != null) {
            ownedDelta.merge(old.owner(), -1, Integer::sum);
        } else {
            nodeCreated = true;
        }
        ownedDelta.merge(node.owner(), +1, Integer::sum);
        changed.put(node.name(), node.withGeneration(base.nextGeneration()));
    }

    @Override
    public void remove(String path) {
        touch(path);
        Node old = visible(path);
        if (old != null) {
            ownedDelta.merge(old.owner(), -1, Integer::sum);
        }
        changed.put(path, null);
    }

    @Override
    public int ownedNodes(int domid) {
        return base.ownedNodes(domid) + ownedDelta.getOrDefault(domid, 0);
    }

    void queue(QueuedEvent e) {
        events.add(e);
    }

    /**
     * Applies the transaction to the main tree, or fails without touching it.
     *
     * @param privileged    whether the committer is dom0; for others that created nodes the node
     *                      quota is re-checked for every domain whose count changed, as C's
     *                      {@code acc_fix_domains(..., chk_quota, false)} does (note C's
     *                      {@code >=}: a commit may not end exactly at the quota)
     * @param nodeQuota     {@code quota_nb_entry_per_domain}
     * @return the watch events to fire now
     */
    List<QueuedEvent> commit(boolean privileged, int nodeQuota) throws XsFailure {
        for (Map.Entry<String, Long> e : accessed.entrySet()) {
            Node now = base.get(e.getKey());
            long gen = now == null ? ABSENT : now.generation();
            if (gen != e.getValue()) {
                throw new XsFailure(XsError.EAGAIN);
            }
        }
        if (nodeCreated && !privileged) {
            for (Map.Entry<Integer, Integer> d : ownedDelta.entrySet()) {
                if (base.ownedNodes(d.getKey()) + d.getValue() >= nodeQuota) {
                    throw new XsFailure(XsError.ENOSPC);
                }
            }
        }
        for (Map.Entry<String, Node> e : changed.entrySet()) {
            if (e.getValue() == null) {
                base.remove(e.getKey());
            } else {
                base.put(e.getValue());
            }
        }
        return events;
    }

    private Node visible(String path) {
        return changed.containsKey(path) ? changed.get(path) : base.get(path);
    }

    private void touch(String path) {
        if (!accessed.containsKey(path)) {
            Node n = base.get(path);
            accessed.put(path, n == null ? ABSENT : n.generation());
        }
    }
}
