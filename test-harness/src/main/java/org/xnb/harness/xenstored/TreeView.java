package org.xnb.harness.xenstored;

/**
 * The node tree as one request sees it: the main tree, or a transaction's view of it (its own
 * changes over the main tree). The operations in {@link NodeOps} are written once against this.
 */
interface TreeView {

    /** The node at an absolute path, or {@code null}. In a transaction this records the access. */
    Node get(String path);

    /** Stores a node version (stamped with a fresh generation). */
    void put(Node node);

    /** Removes one node (not its children: callers walk the subtree). */
    void remove(String path);

    /** Nodes whose owner is {@code domid}: what {@code domain_entry} counts for the quota. */
    int ownedNodes(int domid);
}
