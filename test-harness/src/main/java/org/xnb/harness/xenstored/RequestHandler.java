package org.xnb.harness.xenstored;

import java.util.Iterator;
import java.util.List;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsPaths;
import org.xnb.xenstore.XsType;
import org.xnb.xenstore.XsWire;

/**
 * C's {@code process_message} and the request functions of {@code wire_funcs[]}: checks the
 * type, privilege and transaction of a request, runs it and queues the reply (and any watch
 * events) on the connections concerned.
 */
final class RequestHandler {
    private static final byte[] OK = Payload.cString(XsWire.OK);
    /** {@code DOMID_SELF} of xen.h. */
    private static final int DOMID_SELF = 0x7FF0;

    private final NodeStore store;
    private final NodeOps ops;
    private final WatchFirer firer;
    private final SpecialNodes special;
    private final DomainRegistry domains;
    private final Quotas quotas;

    RequestHandler(NodeStore store, Quotas quotas, WatchFirer firer, SpecialNodes special,
                   DomainRegistry domains) {
        this.store = store;
        this.ops = new NodeOps(quotas);
        this.firer = firer;
        this.special = special;
        this.domains = domains;
        this.quotas = quotas;
    }

    /** Handles one request; the reply is queued on {@code conn}. */
    void handle(Connection conn, XsMessage in) {
        try {
            XsType type = in.type();
            if (type == null || !implemented(type)) {
                throw new XsFailure(XsError.ENOSYS);
            }
            if (privilegedOnly(type) && !conn.caller().privileged()) {
                throw new XsFailure(XsError.EACCES);
            }
            Transaction tx = null;
            if (type != XsType.WATCH && type != XsType.UNWATCH && in.txId() != 0) {
                tx = conn.transactions().get(in.txId());
                if (tx == null) {
                    throw new XsFailure(XsError.ENOENT);
                }
            }
            dispatch(conn, in, type, tx);
        } catch (XsFailure f) {
            conn.reply(in, XsType.ERROR, Payload.cString(f.error().name()));
        }
    }

    private static boolean implemented(XsType t) {
        return switch (t) {
            case WATCH_EVENT, ERROR, SET_TARGET -> false;
            default -> true;
        };
    }

    /** {@code XS_FLAG_PRIV} in C's {@code wire_funcs[]}. */
    private static boolean privilegedOnly(XsType t) {
        return switch (t) {
            case CONTROL, INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET -> true;
            default -> false;
        };
    }

    private void dispatch(Connection conn, XsMessage in, XsType type, Transaction tx) throws XsFailure {
        Caller caller = conn.caller();
        TreeView view = tx != null ? tx : store;
        NodeOps.ChangeSink sink = tx != null
                ? (path, node, exact, old) -> tx.queue(new Transaction.QueuedEvent(path, node, exact, old))
                : firer;
        byte[] p = in.payload();
        switch (type) {
            case DIRECTORY -> send(conn, in, type, ops.directory(view, caller, Payload.oneArg(p)));
            case DIRECTORY_PART -> send(conn, in, type, ops.directoryPart(view, caller, p));
            case READ -> send(conn, in, type, ops.read(view, caller, Payload.oneArg(p)));
            case GET_PERMS -> send(conn, in, type, ops.getPerms(view, caller, Payload.oneArg(p)));
            case WRITE -> {
                ops.write(view, caller, p, sink);
                send(conn, in, type, OK);
            }
            case MKDIR -> {
                ops.mkdir(view, caller, Payload.oneArg(p), sink);
                send(conn, in, type, OK);
            }
            case RM -> {
                ops.rm(view, caller, Payload.oneArg(p), sink);
                send(conn, in, type, OK);
            }
            case SET_PERMS -> {
                ops.setPerms(view, caller, p, special, sink);
                send(conn, in, type, OK);
            }
            case WATCH -> watch(conn, in);
            case UNWATCH -> unwatch(conn, in);
            case TRANSACTION_START -> transactionStart(conn, in, tx);
            case TRANSACTION_END -> transactionEnd(conn, in, tx);
            case RESET_WATCHES -> {
                conn.watches().clear();
                conn.transactions().clear();
                send(conn, in, type, OK);
            }
            case GET_DOMAIN_PATH -> send(conn, in, type,
                    Payload.cString(XsPaths.domainPath(NodeOps.atoi(Payload.oneArg(p)))));
            case IS_DOMAIN_INTRODUCED -> {
                // do_is_domain_introduced: DOMID_SELF and dom0 (introduced by dom0_init) are
                int domid = NodeOps.atoi(Payload.oneArg(p));
                boolean yes = domid == 0 || domid == DOMID_SELF || domains.isIntroduced(domid);
                send(conn, in, type, Payload.cString(yes ? "T" : "F"));
            }
            case INTRODUCE -> introduce(conn, in);
            case RELEASE -> {
                domains.release(domainArg(p));
                send(conn, in, type, OK);
            }
            case RESUME -> {
                int domid = domainArg(p);
                if (!domains.isIntroduced(domid)) {
                    throw new XsFailure(XsError.ENOENT);
                }
                send(conn, in, type, OK);
            }
            // do_control: the harness knows none of xenstore-control's commands
            case CONTROL -> throw new XsFailure(XsError.EINVAL);
            default -> throw new XsFailure(XsError.ENOSYS);
        }
    }

    /** C's {@code send_reply}: a reply over XENSTORE_PAYLOAD_MAX becomes E2BIG. */
    private static void send(Connection conn, XsMessage in, XsType type, byte[] payload) throws XsFailure {
        if (payload.length > XsWire.PAYLOAD_MAX) {
            throw new XsFailure(XsError.E2BIG);
        }
        conn.reply(in, type, payload);
    }

    /** C's {@code do_watch} with {@code check_watch_path}. */
    private void watch(Connection conn, XsMessage in) throws XsFailure {
        List<String> vec = Payload.strings(in.payload());
        if (vec.size() != 2) {
            throw new XsFailure(XsError.EINVAL);
        }
        String path = vec.get(0);
        String home = null;
        if (path.startsWith("@")) {
            if (path.length() > XsWire.REL_PATH_MAX) {
                throw new XsFailure(XsError.EINVAL);
            }
        } else {
            if (!path.startsWith("/")) {
                home = conn.caller().home();
            }
            path = NodeOps.canonicalize(conn.caller(), path);
            NodeOps.checkNodeName(path);
        }
        for (Watch w : conn.watches()) {
            if (w.path().equals(path) && w.token().equals(vec.get(1))) {
                throw new XsFailure(XsError.EEXIST);
            }
        }
        if (!conn.caller().privileged() && conn.watches().size() > quotas.watchesPerDomain()) {
            throw new XsFailure(XsError.E2BIG);
        }
        Watch w = new Watch(path, vec.get(1), home);
        conn.watches().add(w);
        conn.reply(in, XsType.WATCH, OK);
        // "We fire once up front: simplifies clients and restart."
        conn.event(w.eventPath(w.path()), w.token());
    }

    /** C's {@code do_unwatch}. */
    private static void unwatch(Connection conn, XsMessage in) throws XsFailure {
        List<String> vec = Payload.strings(in.payload());
        if (vec.size() != 2) {
            throw new XsFailure(XsError.EINVAL);
        }
        String path = NodeOps.canonicalize(conn.caller(), vec.get(0));
        for (Iterator<Watch> it = conn.watches().iterator(); it.hasNext(); ) {
            Watch w = it.next();
            if (w.path().equals(path) && w.token().equals(vec.get(1))) {
                it.remove();
                conn.reply(in, XsType.UNWATCH, OK);
                return;
            }
        }
        throw new XsFailure(XsError.ENOENT);
    }

    /** C's {@code do_transaction_start}: no nesting (EBUSY), quota ENOSPC. */
    private void transactionStart(Connection conn, XsMessage in, Transaction current) throws XsFailure {
        if (current != null) {
            throw new XsFailure(XsError.EBUSY);
        }
        if (!conn.caller().privileged() && conn.transactions().size() > quotas.transactions()) {
            throw new XsFailure(XsError.ENOSPC);
        }
        int id = conn.allocateTransactionId();
        conn.transactions().put(id, new Transaction(id, store));
        conn.reply(in, XsType.TRANSACTION_START, Payload.cString(Integer.toUnsignedString(id)));
    }

    /**
     * C's {@code do_transaction_end}: "T" commits, "F" aborts; the transaction ends either way.
     * A commit that finds an accessed node changed fails with EAGAIN; otherwise its queued
     * watch events fire now.
     */
    private void transactionEnd(Connection conn, XsMessage in, Transaction tx) throws XsFailure {
        String arg = Payload.oneArg(in.payload());
        if (!"T".equals(arg) && !"F".equals(arg)) {
            throw new XsFailure(XsError.EINVAL);
        }
        if (tx == null) {
            throw new XsFailure(XsError.ENOENT);
        }
        conn.transactions().remove(tx.id());
        if ("T".equals(arg)) {
            for (Transaction.QueuedEvent e : tx.commit(conn.caller().privileged(), quotas.nodesPerDomain())) {
                firer.changed(e.path(), e.node(), e.exact(), e.oldPerms());
            }
        }
        conn.reply(in, XsType.TRANSACTION_END, OK);
    }

    /** C's {@code do_introduce}: domid, gfn, event channel port; port must be positive. */
    private void introduce(Connection conn, XsMessage in) throws XsFailure {
        List<String> vec = Payload.strings(in.payload());
        if (vec.size() < 3) {
            throw new XsFailure(XsError.EINVAL);
        }
        int domid = parseDomid(vec.get(0));
        if (NodeOps.atoi(vec.get(2)) <= 0) {
            throw new XsFailure(XsError.EINVAL);
        }
        if (domid != 0) {
            domains.introduce(domid);
        }
        conn.reply(in, XsType.INTRODUCE, OK);
    }

    /** C's {@code onearg_domain}: dom0 cannot be released or resumed (EINVAL). */
    private static int domainArg(byte[] p) throws XsFailure {
        int domid = parseDomid(Payload.oneArg(p));
        if (domid == 0) {
            throw new XsFailure(XsError.EINVAL);
        }
        return domid;
    }

    /** C's {@code parse_domid}: decimal digits only, at most 65535. */
    private static int parseDomid(String s) throws XsFailure {
        if (s.isEmpty() || s.length() > 5) {
            throw new XsFailure(XsError.EINVAL);
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                throw new XsFailure(XsError.EINVAL);
            }
        }
        int d = Integer.parseInt(s);
        if (d > 65535) {
            throw new XsFailure(XsError.EINVAL);
        }
        return d;
    }
}
