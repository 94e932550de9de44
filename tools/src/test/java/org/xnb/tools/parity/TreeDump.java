package org.xnb.tools.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * Every node of a xenstored as one line {@code path = "value" (perms)}, depth first in
 * directory order, read through xnb's client as dom0: what "both servers hold the same tree"
 * is compared on. Values are shown byte for byte (anything outside printable ASCII as
 * {@code \xNN}) so that two trees differing in one byte give different dumps.
 */
final class TreeDump {
    /** Bounds the walk: the scenarios create a few dozen nodes. */
    private static final int MAX_NODES = 10_000;

    private TreeDump() {
    }

    static List<String> of(Path dom0Socket) throws Exception {
        try (XenstoreClient xs = XenstoreClient.connect(UnixSocketTransport.connect(dom0Socket))) {
            List<String> lines = new ArrayList<>();
            walk(xs, "/", lines);
            return lines;
        }
    }

    private static void walk(XenstoreClient xs, String path, List<String> lines) {
        if (lines.size() >= MAX_NODES) {
            throw new IllegalStateException("tree larger than " + MAX_NODES + " nodes");
        }
        lines.add(path + " = \"" + bytes(xs.read(path)) + "\" (" + xs.getPermissions(path) + ")");
        for (String child : xs.directory(path)) {
            walk(xs, path.equals("/") ? "/" + child : path + "/" + child, lines);
        }
    }

    private static String bytes(byte[] value) {
        StringBuilder s = new StringBuilder();
        for (byte b : value) {
            int c = b & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"') {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
