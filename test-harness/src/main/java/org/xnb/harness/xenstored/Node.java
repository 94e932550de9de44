package org.xnb.harness.xenstored;

import java.util.ArrayList;
import java.util.List;
import org.xnb.xenstore.XsPermissions;

/**
 * One xenstore node, immutable. Immutability is what makes transactions cheap: a transaction
 * keeps its own versions of the nodes it changed and shares all others with the main tree.
 * Children are kept in creation order, as C xenstored appends them ({@code add_child}).
 *
 * @param name       absolute path
 * @param value      the node's data (binary, usually ASCII, no NUL)
 * @param perms      owner/default entry first, then per-domain entries
 * @param children   child names (not paths), in creation order
 * @param generation value of the store's generation counter when this version was written;
 *                   what transactions compare at commit ({@code finalize_transaction})
 */
record Node(String name, byte[] value, XsPermissions perms, List<String> children, long generation) {

    /** Size C charges against {@code quota_max_entry_size}: record header + perms + data + children. */
    static final int RECORD_HEADER_BYTES = 24;
    /** {@code sizeof(struct xs_permissions)}. */
    static final int PERM_BYTES = 8;

    Node {
        children = List.copyOf(children);
    }

    Node withValue(byte[] v) {
        return new Node(name, v, perms, children, generation);
    }

    Node withPerms(XsPermissions p) {
        return new Node(name, value, p, children, generation);
    }

    Node withGeneration(long g) {
        return new Node(name, value, perms, children, g);
    }

    Node withChild(String child) {
        List<String> c = new ArrayList<>(children.size() + 1);
        c.addAll(children);
        c.add(child);
        return new Node(name, value, perms, c, generation);
    }

    Node withoutChild(String child) {
        List<String> c = new ArrayList<>(children);
        c.remove(child);
        return new Node(name, value, perms, c, generation);
    }

    int owner() {
        return perms.owner();
    }

    /** Bytes of the NUL-separated child list, {@code node->childlen} in C. */
    int childListBytes() {
        int n = 0;
        for (String c : children) {
            n += c.length() + 1;
        }
        return n;
    }

    /** The size {@code write_node_raw} compares with {@code quota_max_entry_size}. */
    int recordSize() {
        return RECORD_HEADER_BYTES + perms.entries().size() * PERM_BYTES + value.length + childListBytes();
    }

    /** The child list as sent in a DIRECTORY reply: each name followed by a NUL. */
    byte[] childListBytesArray() {
        return Payload.nulJoined(children);
    }
}
