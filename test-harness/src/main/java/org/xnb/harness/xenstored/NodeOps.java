package org.xnb.harness.xenstored;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPaths;
import org.xnb.xenstore.XsPermission;
import org.xnb.xenstore.XsPermissions;
import org.xnb.xenstore.XsWire;

/**
 * The node operations of {@code xenstored_core.c}, written once against a {@link TreeView} so
 * that they behave the same inside and outside a transaction. Each method names the C function
 * it follows. Errors are thrown as {@link XsFailure}; changes are reported to a
 * {@link ChangeSink} (watches fire now, or at commit for a transaction).
 */
final class NodeOps {

    /** Receives every change, as C's {@code fire_watches(conn, ctx, name, node, exact, perms)}. */
    interface ChangeSink {
        void changed(String path, Node node, boolean exact, XsPermissions oldPerms);
    }

    private final Quotas quotas;

    NodeOps(Quotas quotas) {
        this.quotas = quotas;
    }

    /** C's {@code canonicalize}: absolute and '@' paths as they are, others below the home. */
    static String canonicalize(Caller caller, String path) {
        if (path.startsWith("/") || path.startsWith("@")) {
            return path;
        }
        return caller.home() + "/" + path;
    }

    /** C's {@code is_valid_nodename}. */
    static void checkNodeName(String path) throws XsFailure {
        if (!XsPaths.isValidAbsolute(path)) {
            throw new XsFailure(XsError.EINVAL);
        }
    }

    /**
     * C's {@code get_node}: the node if the caller has all of {@code perm} on it. A missing or
     * forbidden node is reported as ENOENT only when the nearest existing ancestor grants the
     * caller some of {@code perm}, otherwise EACCES ({@code errno_from_parents}), so that an
     * unprivileged domain learns nothing about what it may not see.
     */
    Node getNode(TreeView view, Caller caller, String path, int perm) throws XsFailure {
        checkNodeName(path);
        Node node = view.get(path);
        XsError err = XsError.ENOENT;
        if (node != null) {
            if ((Perms.forCaller(caller, node.perms()) & perm) == perm) {
                return node;
            }
            err = XsError.EACCES;
        }
        throw new XsFailure(errnoFromParents(view, caller, path, err, perm));
    }

    /** C's {@code errno_from_parents} with {@code ask_parents}. */
    private static XsError errnoFromParents(TreeView view, Caller caller, String path, XsError err, int perm) {
        String name = path;
        Node parent = null;
        while (!"/".equals(name)) {
            name = XsPaths.parent(name);
            parent = view.get(name);
            if (parent != null) {
                break;
            }
        }
        int parentPerm = parent == null ? 0 : Perms.forCaller(caller, parent.perms());
        return (parentPerm & perm) != 0 ? err : XsError.EACCES;
    }

    /** C's {@code send_directory}: the child names, each NUL-terminated. */
    byte[] directory(TreeView view, Caller caller, String arg) throws XsFailure {
        Node node = getNode(view, caller, canonicalize(caller, arg), Perms.READ);
        return node.childListBytesArray();
    }

    /**
     * C's {@code send_directory_part}: the node's generation, then as many child names as fit
     * from byte offset {@code off} of the child list, and an extra NUL (an empty name) when the
     * list ends in this part.
     *
     * <pre>
     *   "1234\0" "childA\0" "childB\0" ["\0" if this part reaches the end]
     * </pre>
     */
    byte[] directoryPart(TreeView view, Caller caller, byte[] payload) throws XsFailure {
        if (Payload.countNuls(payload) != 2) {
            throw new XsFailure(XsError.EINVAL);
        }
        List<String> args = Payload.strings(payload);
        Node node = getNode(view, caller, canonicalize(caller, args.get(0)), Perms.READ);
        int off = atoi(args.get(1));
        byte[] gen = Payload.cString(Long.toString(node.generation()));
        byte[] children = node.childListBytesArray();
        if (off < 0 || off >= children.length) {
            byte[] out = new byte[gen.length + 1];
            System.arraycopy(gen, 0, out, 0, gen.length);
            return out;
        }
        int maxLen = XsWire.PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        int child = off;
        while (len + strlen(children, child) < maxLen) {
            int step = strlen(children, child) + 1;
            len += step;
            child += step;
            if (off + len == children.length) {
                break;
            }
        }
        boolean last = off + len == children.length;
        byte[] out = new byte[gen.length + len + (last ? 1 : 0)];
        System.arraycopy(gen, 0, out, 0, gen.length);
        System.arraycopy(children, off, out, gen.length, len);
        return out;
    }

    /** C's {@code do_read}. */
    byte[] read(TreeView view, Caller caller, String arg) throws XsFailure {
        return getNode(view, caller, canonicalize(caller, arg), Perms.READ).value();
    }

    /** C's {@code do_get_perms}. */
    byte[] getPerms(TreeView view, Caller caller, String arg) throws XsFailure {
        Node node = getNode(view, caller, canonicalize(caller, arg), Perms.READ);
        return Payload.nulJoined(List.of(node.perms().toStrings()));
    }

    /** C's {@code do_write}: path, NUL, then the value (not NUL-terminated). */
    void write(TreeView view, Caller caller, byte[] payload, ChangeSink sink) throws XsFailure {
        int nul = Payload.indexOfNul(payload, 0);
        if (nul < 0) {
            throw new XsFailure(XsError.EINVAL);
        }
        String name = canonicalize(caller, Payload.latin1(payload, 0, nul));
        byte[] value = new byte[payload.length - nul - 1];
        System.arraycopy(payload, nul + 1, value, 0, value.length);
        Node node;
        try {
            Node old = getNode(view, caller, name, Perms.WRITE);
            node = old.withValue(value);
            checkEntrySize(caller, node);
            view.put(node);
        } catch (XsFailure f) {
            if (f.error() != XsError.ENOENT) {
                throw f;
            }
            node = createNode(view, caller, name, value);
        }
        sink.changed(name, node, false, null);
    }

    /** C's {@code do_mkdir}: creating an existing node is fine and changes nothing. */
    void mkdir(TreeView view, Caller caller, String arg, ChangeSink sink) throws XsFailure {
        String name = canonicalize(caller, arg);
        try {
            getNode(view, caller, name, Perms.WRITE);
        } catch (XsFailure f) {
            if (f.error() != XsError.ENOENT) {
                throw f;
            }
            Node node = createNode(view, caller, name, new byte[0]);
            sink.changed(name, node, false, null);
        }
    }

    /**
     * C's {@code do_rm} and {@code rm_node}: removing a missing node is fine when its parent
     * exists; "/" cannot be removed (EINVAL). Watches fire for every removed node, children
     * first ({@code delnode_sub}): for the removed root like any change, for each node below it
     * only to watches set exactly on that node.
     */
    void rm(TreeView view, Caller caller, String arg, ChangeSink sink) throws XsFailure {
        String name = canonicalize(caller, arg);
        Node node;
        try {
            node = getNode(view, caller, name, Perms.WRITE);
        } catch (XsFailure f) {
            if (f.error() == XsError.ENOENT && view.get(XsPaths.parent(name)) != null) {
                return;
            }
            throw f;
        }
        if ("/".equals(name)) {
            throw new XsFailure(XsError.EINVAL);
        }
        Node parent = view.get(XsPaths.parent(name));
        if (parent == null) {
            throw new XsFailure(XsError.EINVAL);
        }
        for (Node n : subtreeChildrenFirst(view, node)) {
            view.remove(n.name());
            sink.changed(n.name(), n, !n.name().equals(name), null);
        }
        view.put(parent.withoutChild(XsPaths.basename(name)));
    }

    /**
     * C's {@code do_set_perms}: path then one or more permission strings. The caller must be
     * able to write the node and own it; an unprivileged domain may not give it away (EPERM).
     */
    void setPerms(TreeView view, Caller caller, byte[] payload, SpecialNodes special, ChangeSink sink)
            throws XsFailure {
        int num = Payload.countNuls(payload);
        if (num < 2) {
            throw new XsFailure(XsError.EINVAL);
        }
        num--;
        if (!caller.privileged() && num > quotas.permsPerNode()) {
            throw new XsFailure(XsError.ENOSPC);
        }
        List<String> args = Payload.strings(payload);
        List<XsPermission> entries = new ArrayList<>(num);
        for (String s : args.subList(1, args.size())) {
            try {
                entries.add(XsPermission.parse(s));
            } catch (IllegalArgumentException e) {
                throw new XsFailure(XsError.EINVAL);
            }
        }
        XsPermissions perms = XsPermissions.of(entries);
        String path = args.get(0);
        if (path.startsWith("@")) {
            special.setPerms(caller, path, perms);
            return;
        }
        String name = canonicalize(caller, path);
        Node node = getNode(view, caller, name, Perms.WRITE | Perms.OWNER);
        if (!caller.privileged() && perms.owner() != node.owner()) {
            throw new XsFailure(XsError.EPERM);
        }
        XsPermissions old = node.perms();
        Node updated = node.withPerms(perms);
        checkEntrySize(caller, updated);
        view.put(updated);
        sink.changed(name, updated, false, old);
    }

    /**
     * C's {@code create_node} with {@code construct_node}: creates the node and every missing
     * ancestor. New nodes inherit their parent's permissions, except that an unprivileged
     * domain owns what it creates. Quotas are checked before anything is written, so a failed
     * create leaves the tree as it was.
     */
    Node createNode(TreeView view, Caller caller, String name, byte[] value) throws XsFailure {
        Deque<String> missing = new ArrayDeque<>();
        String cur = name;
        Node parent;
        while (true) {
            missing.push(cur);
            cur = XsPaths.parent(cur);
            parent = view.get(cur);
            if (parent != null) {
                break;
            }
            if ("/".equals(cur)) {
                throw new XsFailure(XsError.EIO);
            }
        }
        if (!caller.privileged()
                && view.ownedNodes(caller.domid()) + missing.size() > quotas.nodesPerDomain()) {
            throw new XsFailure(XsError.ENOSPC);
        }
        List<Node> toWrite = new ArrayList<>(missing.size() + 1);
        Node top = parent;
        Node node = null;
        while (!missing.isEmpty()) {
            String path = missing.pop();
            XsPermissions perms = top.perms();
            if (!caller.privileged()) {
                perms = withOwner(perms, caller.domid());
            }
            Node created = new Node(path, missing.isEmpty() ? value : new byte[0], perms, List.of(), 0);
            toWrite.add(top.withChild(XsPaths.basename(path)));
            top = created;
            node = created;
        }
        toWrite.add(node);
        for (Node n : toWrite) {
            checkEntrySize(caller, n);
        }
        // toWrite: the existing parent with its new child, each created ancestor with its one
        // child, then the new node itself: every level exactly once
        for (Node n : toWrite) {
            view.put(n);
        }
        return node;
    }

    /** C's {@code write_node_raw} check against {@code quota_max_entry_size}. */
    private void checkEntrySize(Caller caller, Node n) throws XsFailure {
        if (!caller.privileged() && n.recordSize() >= quotas.maxEntrySize()) {
            throw new XsFailure(XsError.ENOSPC);
        }
    }

    private static XsPermissions withOwner(XsPermissions perms, int owner) {
        List<XsPermission> e = new ArrayList<>(perms.entries());
        e.set(0, new XsPermission(owner, e.get(0).access()));
        return XsPermissions.of(e);
    }

    /** The subtree below and including {@code root}, deepest nodes first (C's walk exit order). */
    private static List<Node> subtreeChildrenFirst(TreeView view, Node root) {
        List<Node> preorder = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            preorder.add(n);
            for (String c : n.children()) {
                Node child = view.get(XsPaths.child(n.name(), c));
                if (child != null) {
                    stack.push(child);
                }
            }
        }
        List<Node> out = new ArrayList<>(preorder.size());
        for (int i = preorder.size() - 1; i >= 0; i--) {
            out.add(preorder.get(i));
        }
        return out;
    }

    private static int strlen(byte[] b, int from) {
        int i = from;
        while (i < b.length && b[i] != 0) {
            i++;
        }
        return i - from;
    }

    /** C's {@code atoi}: leading digits, 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        long v = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        v = Math.min(v, Integer.MAX_VALUE);
        return (int) (neg ? -v : v);
    }
}
