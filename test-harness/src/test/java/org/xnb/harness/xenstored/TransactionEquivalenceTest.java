package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.xnb.xenstore.XsPaths;

/**
 * A transaction's overlay must behave exactly like the main tree: any sequence of writes,
 * mkdirs and removals gives the same answers inside a transaction as outside, and committing
 * it leaves the same tree (values, permissions, child order) as doing the operations directly.
 */
class TransactionEquivalenceTest {
    private static final Caller DOM0 = new Caller(0);
    private static final Caller GUEST = new Caller(3);

    /** One operation: 0 write, 1 mkdir, 2 rm. */
    record Op(int kind, String path, String value, boolean asGuest) {
    }

    private static Gen<List<Op>> ops() {
        return lists().of(op()).ofSizeBetween(0, 25);
    }

    private static Gen<Op> op() {
        Gen<String> path = lists().of(arbitrary().pick("a", "b", "c")).ofSizeBetween(1, 3)
                .map(parts -> "/local/domain/3/" + String.join("/", parts));
        Gen<String> value = strings().betweenCodePoints('a', 'z').ofLengthBetween(0, 3);
        // kind 0..2 and "as guest" drawn together: 0..5
        return integers().between(0, 5).zip(path, value,
                (kg, p, v) -> new Op(kg % 3, p, v, kg >= 3));
    }

    @Test
    void transactionEqualsDirect() {
        qt().withExamples(300).forAll(ops()).checkAssert(TransactionEquivalenceTest::check);
    }

    private static void check(List<Op> ops) {
        NodeStore direct = setup();
        NodeStore base = setup();
        Transaction tx = new Transaction(1, base);
        NodeOps nodeOps = new NodeOps(Quotas.C_DEFAULTS);
        NodeOps.ChangeSink ignore = (p, n, e, o) -> { };
        for (Op op : ops) {
            String a = apply(nodeOps, direct, op, ignore);
            String b = apply(nodeOps, tx, op, ignore);
            assertEquals(a, b, "answer to " + op);
            assertEquals(dump(direct), dump(tx), "views after " + op);
        }
        try {
            tx.commit(true, Quotas.C_DEFAULTS.nodesPerDomain());
        } catch (XsFailure f) {
            throw new AssertionError("commit failed: " + f.error(), f);
        }
        assertEquals(dump(direct), dump(base));
    }

    private static NodeStore setup() {
        NodeStore s = new NodeStore();
        NodeOps o = new NodeOps(Quotas.C_DEFAULTS);
        try {
            o.createNode(s, DOM0, "/local/domain/3", new byte[0]);
        } catch (XsFailure f) {
            throw new AssertionError(f);
        }
        s.put(s.get("/local/domain/3").withPerms(org.xnb.xenstore.XsPermissions.parse("n3 r0")));
        return s;
    }

    private static String apply(NodeOps o, TreeView v, Op op, NodeOps.ChangeSink sink) {
        Caller c = op.asGuest() ? GUEST : DOM0;
        try {
            switch (op.kind()) {
                case 0 -> {
                    byte[] p = (op.path() + "\0" + op.value()).getBytes(StandardCharsets.ISO_8859_1);
                    o.write(v, c, p, sink);
                }
                case 1 -> o.mkdir(v, c, op.path(), sink);
                default -> o.rm(v, c, op.path(), sink);
            }
            return "OK";
        } catch (XsFailure f) {
            return f.error().name();
        }
    }

    /** Every node reachable from "/", depth first, with value, permissions and child order. */
    private static List<String> dump(TreeView v) {
        List<String> out = new ArrayList<>();
        walk(v, "/", out);
        return out;
    }

    private static void walk(TreeView v, String path, List<String> out) {
        Node n = v.get(path);
        if (n == null) {
            out.add(path + " MISSING");
            return;
        }
        out.add(path + "=" + new String(n.value(), StandardCharsets.ISO_8859_1) + " " + n.perms() + " " + n.children());
        for (String c : n.children()) {
            walk(v, XsPaths.child(path, c), out);
        }
    }
}
