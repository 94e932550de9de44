package org.xnb.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny in-memory tree that answers requests for a {@link FakePeer}: enough of xenstored's
 * behaviour (implicit parents, ENOENT, permissions, watches firing on subtree changes, no
 * transaction isolation) to drive the client and the CLI in unit tests. Not a server: the
 * real one lives in the test harness.
 */
public final class ScriptedStore {
    private final TreeMap<String, byte[]> values = new TreeMap<>();
    private final Map<String, XsPermissions> perms = new TreeMap<>();
    private final Map<String, String> watches = new LinkedHashMap<>(); // token -> path
    private final AtomicInteger nextTx = new AtomicInteger(1);

    public ScriptedStore() {
        values.put("/", new byte[0]);
        perms.put("/", XsPermissions.ownedBy(0));
    }

    /** Creates (with parents) and sets a node. */
    public synchronized ScriptedStore put(String path, String value) {
        create(path);
        values.put(path, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public synchronized ScriptedStore putBytes(String path, byte[] value) {
        create(path);
        values.put(path, value);
        return this;
    }

    public synchronized byte[] get(String path) {
        return values.get(path);
    }

    public synchronized XsPermissions perms(String path) {
        return perms.get(path);
    }

    public synchronized ScriptedStore perms(String path, XsPermissions p) {
        perms.put(path, p);
        return this;
    }

    public synchronized List<XsMessage> answer(XsMessage req) {
        List<String> a = req.payloadStrings(true);
        XsType t = req.type();
        List<XsMessage> out = new ArrayList<>();
        String path = a.isEmpty() ? "" : a.get(0);
        switch (t) {
            case READ -> out.add(values.containsKey(path) ? FakePeer.replyBytes(req, values.get(path))
                    : FakePeer.error(req, "ENOENT"));
            case WRITE -> {
                int start = path.getBytes(StandardCharsets.UTF_8).length + 1;
                byte[] p = req.payload();
                create(path);
                values.put(path, Arrays.copyOfRange(p, Math.min(start, p.length), p.length));
                out.add(FakePeer.ok(req));
                fire(path, out);
            }
            case MKDIR -> {
                boolean had = values.containsKey(path);
                create(path);
                out.add(FakePeer.ok(req));
                if (!had) {
                    fire(path, out);
                }
            }
            case RM -> {
                if (!values.containsKey(path)) {
                    out.add(values.containsKey(XsPaths.parent(path)) ? FakePeer.ok(req) : FakePeer.error(req, "ENOENT"));
                } else if ("/".equals(path)) {
                    out.add(FakePeer.error(req, "EINVAL"));
                } else {
                    values.keySet().removeIf(k -> XsPaths.isSelfOrDescendant(k, path));
                    perms.keySet().removeIf(k -> XsPaths.isSelfOrDescendant(k, path));
                    out.add(FakePeer.ok(req));
                    fire(path, out);
                }
            }
            case DIRECTORY -> {
                if (!values.containsKey(path)) {
                    out.add(FakePeer.error(req, "ENOENT"));
                } else {
                    out.add(FakePeer.reply(req, children(path).toArray(new String[0])));
                }
            }
            case GET_PERMS -> out.add(perms.containsKey(path) ? FakePeer.reply(req, perms.get(path).toStrings())
                    : FakePeer.error(req, "ENOENT"));
            case SET_PERMS -> {
                if (!values.containsKey(path)) {
                    out.add(FakePeer.error(req, "ENOENT"));
                } else {
                    perms.put(path, XsPermissions.fromStrings(a.subList(1, a.size())));
                    out.add(FakePeer.ok(req));
                    fire(path, out);
                }
            }
            case TRANSACTION_START -> out.add(FakePeer.reply(req, Integer.toString(nextTx.getAndIncrement())));
            case TRANSACTION_END -> out.add(FakePeer.ok(req));
            case WATCH -> {
                watches.put(a.get(1), path);
                out.add(FakePeer.ok(req));
                out.add(FakePeer.watchEvent(path, a.get(1)));
            }
            case UNWATCH -> out.add(watches.remove(a.get(1)) != null ? FakePeer.ok(req) : FakePeer.error(req, "ENOENT"));
            case GET_DOMAIN_PATH -> out.add(FakePeer.reply(req, XsPaths.domainPath(Integer.parseInt(path))));
            default -> out.add(FakePeer.error(req, "ENOSYS"));
        }
        return out;
    }

    private List<String> children(String path) {
        List<String> out = new ArrayList<>();
        String prefix = "/".equals(path) ? "/" : path + "/";
        for (String k : values.tailMap(prefix, false).keySet()) {
            if (!k.startsWith(prefix)) {
                break;
            }
            String rest = k.substring(prefix.length());
            if (!rest.isEmpty() && rest.indexOf('/') < 0) {
                out.add(rest);
            }
        }
        return out;
    }

    private void create(String path) {
        if (values.containsKey(path)) {
            return;
        }
        if (!"/".equals(path)) {
            create(XsPaths.parent(path));
        }
        values.put(path, new byte[0]);
        perms.put(path, perms.getOrDefault(XsPaths.parent(path), XsPermissions.ownedBy(0)));
    }

    private void fire(String changed, List<XsMessage> out) {
        for (Map.Entry<String, String> w : watches.entrySet()) {
            if (XsPaths.isSelfOrDescendant(changed, w.getValue())) {
                out.add(FakePeer.watchEvent(changed, w.getKey()));
            }
        }
    }
}
