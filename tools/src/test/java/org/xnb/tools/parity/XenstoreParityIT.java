package org.xnb.tools.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.tools.parity.ToolRunner.Result;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermissions;

/**
 * Our client against a real peer: each scenario of the table runs twice, on two fresh harness
 * xenstoreds, once with Debian's {@code /usr/bin/xenstore-*} (libxenstore 4.17) and once with
 * {@code xnb xenstore ...} in this JVM. Every step must give the same stdout, stderr and exit
 * code (and the exit code the table expects, so that two equal failures cannot pass), and at
 * the end both servers must hold the same tree: every path, value and permission.
 */
class XenstoreParityIT {
    private static final List<String> TOOLS = List.of("read", "write", "ls", "rm", "chmod", "exists",
            "list", "watch");

    @TempDir
    Path dir;

    /** One line of a scenario. */
    sealed interface Step permits Tool, Introduce, Watch {
    }

    /**
     * A tool run as {@code who} (0 = the main socket, N = the guest socket of domain N).
     * {@code out} is the expected stdout, or null where only parity is checked.
     */
    record Tool(int who, int exit, String out, String mode, List<String> args) implements Step {
        @Override
        public String toString() {
            return "dom" + who + "$ xenstore-" + mode + " " + String.join(" ", args);
        }
    }

    /** {@code XenstoredServer.introduceDomain(domid)}: the guest socket appears. */
    record Introduce(int domid) implements Step {
    }

    /** {@code xenstore-watch -n N key} as dom0 while the steps {@code meanwhile} run. */
    record Watch(int n, String key, String out, List<Tool> meanwhile) implements Step {
        @Override
        public String toString() {
            return "dom0$ xenstore-watch -n " + n + " " + key;
        }
    }

    private static Tool ok(String mode, String... args) {
        return new Tool(0, 0, null, mode, List.of(args));
    }

    private static Tool prints(String out, String mode, String... args) {
        return new Tool(0, 0, out, mode, List.of(args));
    }

    private static Tool fails(String mode, String... args) {
        return new Tool(0, 1, null, mode, List.of(args));
    }

    private static Tool as(int dom, int exit, String mode, String... args) {
        return new Tool(dom, exit, null, mode, List.of(args));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("write and read", List.of(
                        ok("write", "/a/b", "v"),
                        prints("v\n", "read", "/a/b"),
                        ok("write", "/a/c", "1", "/a/d", "two words"),
                        prints("1\ntwo words\n", "read", "/a/c", "/a/d"),
                        ok("read", "-p", "/a/b"),
                        fails("read", "/a/missing"),
                        fails("read", "/a/b", "/a/missing"),
                        ok("write", "/a/b", "overwritten"),
                        prints("overwritten\n", "read", "/a/b"))),
                Arguments.of("nested paths", List.of(
                        ok("write", "/x/y/z/w", "deep"),
                        prints("\n", "read", "/x/y"),
                        prints("y\n", "list", "/x"),
                        ok("ls", "/x"),
                        ok("ls", "-f", "/x"),
                        ok("write", "/x/y/other", "o", "/x/sibling", "s"),
                        ok("ls", "-fp", "/x"),
                        ok("ls", "-p", "/x/y"))),
                Arguments.of("values with odd bytes", List.of(
                        ok("write", "/o/tab", "tab\\there", "/o/bs", "back\\\\slash", "/o/ctl", "c\\001x"),
                        ok("write", "/o/hex", "hi\\xffbit", "/o/quote", "say \"hi\"", "/o/empty", ""),
                        ok("write", "-R", "/o/raw", "raw\\tstays"),
                        prints("tab\\there\n", "read", "/o/tab"),
                        ok("read", "/o/bs", "/o/ctl", "/o/hex", "/o/quote", "/o/empty"),
                        ok("read", "-R", "/o/tab", "/o/raw"),
                        ok("ls", "-fp", "/o"))),
                Arguments.of("rm of subtrees", List.of(
                        ok("write", "/r/a/b", "1", "/r/a/c", "2", "/r/a/c/d", "3", "/r/e", "4"),
                        ok("rm", "/r/a"),
                        fails("exists", "/r/a"),
                        fails("exists", "/r/a/c/d"),
                        prints("e\n", "list", "/r"),
                        ok("rm", "/r/never-there"),
                        fails("rm", "/nothing/at/all"),
                        ok("write", "/t/p/q/leaf", "x"),
                        ok("rm", "-t", "/t/p/q/leaf"),
                        fails("exists", "/t"),
                        ok("ls", "-fp", "/r"))),
                Arguments.of("chmod, also recursive", List.of(
                        ok("write", "/c/a/b", "1", "/c/a/b/c", "2", "/c/x", "3"),
                        ok("chmod", "/c", "n0", "r1"),
                        ok("chmod", "-r", "/c/a", "n0", "b2", "w3"),
                        ok("chmod", "-u", "/c/x", "n0", "r4"),
                        ok("ls", "-fp", "/c"),
                        fails("chmod", "/c/missing", "n0"),
                        fails("chmod", "/c/x", "q7"))),
                Arguments.of("exists and list", List.of(
                        ok("write", "/e/one", "1", "/e/two", "2", "/e/two/three", "3"),
                        ok("exists", "/e/one"),
                        ok("exists", "/e/one", "/e/two/three"),
                        fails("exists", "/e/none"),
                        fails("exists", "/e/one", "/e/none"),
                        prints("one\ntwo\n", "list", "/e"),
                        ok("list", "-p", "/e"),
                        prints("", "list", "/e/one"),
                        fails("list", "/e/none"))),
                Arguments.of("ls -fp of a subtree", List.of(
                        ok("write", "/vm/name", "guest", "/vm/id", "7", "/vm/dev/vif/0/mac", "00:16:3e:00:00:01"),
                        ok("chmod", "/vm/id", "n0", "r7"),
                        prints("/vm/name = \"guest\"   (n0)\n/vm/id = \"7\"   (n0,r7)\n/vm/dev = \"\"   (n0)\n"
                                + "/vm/dev/vif = \"\"   (n0)\n/vm/dev/vif/0 = \"\"   (n0)\n"
                                + "/vm/dev/vif/0/mac = \"00:16:3e:00:00:01\"   (n0)\n", "ls", "-fp", "/vm"),
                        ok("ls", "-fp", "/vm/dev"),
                        ok("ls", "-fp", "/"),
                        fails("ls", "-fp", "/vm/none"))),
                Arguments.of("watch -n with changes meanwhile", List.of(
                        ok("write", "/w", ""),
                        new Watch(4, "/w", "/w\n/w/a\n/w/a/b\n/w/a\n", List.of(
                                ok("write", "/w/a", "1"),
                                ok("write", "/w/a/b", "2"),
                                ok("rm", "/w/a"))),
                        fails("exists", "/w/a"))),
                Arguments.of("guest-bound connections", List.of(
                        new Introduce(1),
                        new Introduce(2),
                        ok("write", "/shared/x", "hello"),
                        ok("chmod", "/shared", "r0"),
                        ok("chmod", "/shared/x", "n0", "r1"),
                        as(1, 0, "write", "secret", "s"),
                        as(1, 0, "read", "secret"),
                        as(1, 0, "read", "/local/domain/1/secret"),
                        as(1, 0, "write", "/local/domain/1/sub/key", "k"),
                        as(1, 0, "ls", "-fp", "/local/domain/1"),
                        as(1, 0, "read", "/shared/x"),
                        as(1, 1, "write", "/shared/x", "guest was here"),
                        as(2, 1, "read", "/shared/x"),
                        as(2, 1, "read", "/local/domain/1/secret"),
                        as(2, 1, "write", "/local/domain/1/secret", "x"),
                        as(2, 1, "rm", "/local/domain/1/secret"),
                        as(2, 1, "exists", "/local/domain/1/secret"),
                        as(2, 1, "list", "/local/domain/1"),
                        as(2, 1, "chmod", "/local/domain/1/secret", "n2"),
                        as(1, 1, "read", "/local/domain/0/anything"),
                        as(1, 1, "write", "/local/domain/0/x", "1"),
                        as(1, 1, "write", "/tool/guest", "1"),
                        as(1, 1, "chmod", "secret", "n2"),
                        as(1, 0, "chmod", "secret", "n1", "r2"),
                        as(2, 0, "read", "/local/domain/1/secret"),
                        as(2, 1, "write", "/local/domain/1/secret", "x"),
                        ok("read", "/local/domain/1/secret", "/local/domain/1/sub/key"),
                        ok("ls", "-fp", "/local/domain"))));
    }

    @BeforeAll
    static void debianToolsInstalled() {
        for (String t : TOOLS) {
            if (!Files.isExecutable(Path.of("/usr/bin/xenstore-" + t))) {
                fail("/usr/bin/xenstore-" + t + " is missing: install Debian's xenstore-utils "
                        + "(apt-get install xenstore-utils; bin/test does it when run as root)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void debianAndOursSeeTheSame(String name, List<Step> steps) throws Exception {
        List<Result> theirs;
        List<Result> ours;
        List<String> theirTree;
        List<String> ourTree;
        try (XenstoredServer server = XenstoredServer.start(socket("debian"));
             ToolRunner debian = new ToolRunner.Debian(dir)) {
            theirs = play(debian, server, steps);
            theirTree = TreeDump.of(server.socketPath());
        }
        try (XenstoredServer server = XenstoredServer.start(socket("ours"));
             ToolRunner xnb = new ToolRunner.Ours()) {
            ours = play(xnb, server, steps);
            ourTree = TreeDump.of(server.socketPath());
        }
        List<String> problems = new ArrayList<>();
        List<Object> lines = flatten(steps);
        for (int i = 0; i < lines.size(); i++) {
            Object step = lines.get(i);
            Result d = theirs.get(i);
            Result o = ours.get(i);
            Result dn = new Result(d.exit(), d.out(), withoutProgramPath(d.err()));
            if (!dn.equals(o)) {
                problems.add(step + "\n  debian: " + dn + "\n  xnb:    " + o);
            }
            int expectedExit = step instanceof Tool t ? t.exit() : 0;
            String expectedOut = step instanceof Tool t ? t.out() : step instanceof Watch w ? w.out() : null;
            if (d.exit() != expectedExit || (expectedOut != null && !expectedOut.equals(d.out()))) {
                problems.add(step + ": the table expects exit " + expectedExit
                        + (expectedOut == null ? "" : " and stdout " + expectedOut.replace("\n", "\\n"))
                        + ", debian gave " + dn);
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertTrue(theirTree.size() > 3, "the scenario left nodes: " + theirTree);
        assertEquals(theirTree, ourTree, "the trees after '" + name + "'");
    }

    /**
     * The same toolstack-and-guest scenario once through xnb's client API and once with
     * Debian's tools: the trees must be equal.
     */
    @Test
    void clientApiBuildsTheSameTreeAsDebiansTools() throws Exception {
        String be = "/local/domain/0/backend/vif/3/0";
        String fe = "/local/domain/3/device/vif/0";
        List<String> theirTree;
        try (XenstoredServer server = XenstoredServer.start(socket("debian"));
             ToolRunner t = new ToolRunner.Debian(dir)) {
            Path dom0 = server.socketPath();
            Path guest = server.introduceDomain(3);
            run(t, dom0, "write", be + "/frontend", fe, be + "/frontend-id", "3", be + "/state", "1",
                    be + "/mac", "00:16:3e:00:00:03");
            run(t, dom0, "chmod", "-r", be, "n0", "r3");
            run(t, dom0, "write", fe + "/backend", be, fe + "/state", "1");
            run(t, dom0, "chmod", "-r", fe, "n3", "r0");
            run(t, guest, "write", "device/vif/0/tx-ring-ref", "8", "device/vif/0/event-channel", "17",
                    "device/vif/0/feature-sg", "1");
            run(t, guest, "write", "device/vif/0/state", "4");
            run(t, dom0, "write", "/scratch/a/b", "1", "/scratch/c", "tab\\tvalue");
            run(t, dom0, "rm", "/scratch/a");
            theirTree = TreeDump.of(dom0);
        }
        List<String> ourTree;
        try (XenstoredServer server = XenstoredServer.start(socket("ours"))) {
            Path guestSocket = server.introduceDomain(3);
            try (XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(server.socketPath()));
                 XenstoreClient guest = XenstoreClient.connect(UnixSocketTransport.connect(guestSocket))) {
                dom0.write(be + "/frontend", fe);
                dom0.write(be + "/frontend-id", "3");
                dom0.write(be + "/state", "1");
                dom0.write(be + "/mac", "00:16:3e:00:00:03");
                chmodRecursive(dom0, be, XsPermissions.parse("n0 r3"));
                dom0.write(fe + "/backend", be);
                dom0.write(fe + "/state", "1");
                chmodRecursive(dom0, fe, XsPermissions.parse("n3 r0"));
                guest.write("device/vif/0/tx-ring-ref", "8");
                guest.write("device/vif/0/event-channel", "17");
                guest.write("device/vif/0/feature-sg", "1");
                guest.write("device/vif/0/state", "4");
                XenstoreException denied = org.junit.jupiter.api.Assertions.assertThrows(XenstoreException.class,
                        () -> guest.write(be + "/state", "4"));
                assertEquals(XsError.EACCES, denied.error());
                dom0.write("/scratch/a/b", "1");
                dom0.write("/scratch/c", "tab\tvalue");
                dom0.rm("/scratch/a");
            }
            ourTree = TreeDump.of(server.socketPath());
        }
        assertTrue(theirTree.contains(fe + "/state = \"4\" (n3 r0)"), String.join("\n", theirTree));
        assertEquals(theirTree, ourTree);
    }

    /** What {@code xenstore-chmod -r} does: the node, then every descendant. */
    private static void chmodRecursive(XenstoreClient xs, String path, XsPermissions perms) {
        xs.setPermissions(path, perms);
        for (String child : xs.directory(path)) {
            chmodRecursive(xs, path + "/" + child, perms);
        }
    }

    private static void run(ToolRunner t, Path socket, String mode, String... args) throws Exception {
        Result r = t.run(socket, mode, List.of(args));
        assertEquals(0, r.exit(), "xenstore-" + mode + " " + String.join(" ", args) + ": " + r);
    }

    private Path socket(String which) throws Exception {
        return Files.createDirectories(dir.resolve(which)).resolve("xs");
    }

    private static List<Result> play(ToolRunner runner, XenstoredServer server, List<Step> steps) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Introduce i) {
                server.introduceDomain(i.domid());
                results.add(new Result(0, "", ""));
            } else if (step instanceof Tool t) {
                results.add(runner.run(socketOf(server, t.who()), t.mode(), t.args()));
            } else if (step instanceof Watch w) {
                int before = server.watchCount();
                ToolRunner.Running watch = runner.start(server.socketPath(), "watch",
                        List.of("-n", Integer.toString(w.n()), w.key()));
                Awaitility.await().atMost(Duration.ofSeconds(ToolRunner.TIMEOUT_S))
                        .until(() -> server.watchCount() == before + 1);
                List<Result> meanwhile = new ArrayList<>();
                for (Tool t : w.meanwhile()) {
                    meanwhile.add(runner.run(socketOf(server, t.who()), t.mode(), t.args()));
                }
                results.add(watch.await());
                results.addAll(meanwhile);
            }
        }
        return results;
    }

    /** The steps in the order {@link #play} reports them: a watch, then what ran meanwhile. */
    private static List<Object> flatten(List<Step> steps) {
        List<Object> lines = new ArrayList<>();
        for (Step s : steps) {
            lines.add(s);
            if (s instanceof Watch w) {
                lines.addAll(w.meanwhile());
            }
        }
        return lines;
    }

    private static Path socketOf(XenstoredServer server, int who) {
        return who == 0 ? server.socketPath() : server.domainSocketPath(who);
    }

    /** err(3) prefixes the program name; a C tool started by full path shows only its basename. */
    private static String withoutProgramPath(String err) {
        return err.replace("/usr/bin/xenstore-", "xenstore-");
    }
}
