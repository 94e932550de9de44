package org.xnb.tools.xenstore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnb.xenstore.FakePeer;
import org.xnb.xenstore.ScriptedStore;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsPermissions;
import org.xnb.xenstore.XsType;

/**
 * {@code xnb xenstore ...} run in-process against a scripted peer: stdout, stderr and exit
 * codes as Debian's xenstore-* tools (Xen 4.17) produce them.
 */
class XenstoreCliTest {
    private FakePeer peer;
    private ScriptedStore store;
    private final List<XsMessage> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger eagainOnCommit = new AtomicInteger();

    record Run(int exit, String out, String err, byte[] outBytes) {
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new FakePeer();
        store = new ScriptedStore()
                .put("/local/domain/0/name", "Domain-0")
                .put("/local/domain/0/data/bin", "a\tb\\c\u0001")
                .put("/local/domain/5/device/vif/0/mac", "00:16:3e:00:00:05")
                .put("/tool/xenstored", "");
        store.perms("/local/domain/5", XsPermissions.parse("n5 r0"));
        peer.respondWith(req -> {
            log.add(req);
            if (req.type() == XsType.TRANSACTION_END && "T".equals(req.payloadString())
                    && eagainOnCommit.getAndDecrement() > 0) {
                return List.of(FakePeer.error(req, "EAGAIN"));
            }
            return store.answer(req);
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        peer.close();
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        XenstoreCommand cmd = new XenstoreCommand(Map.of("XENSTORED_PATH", peer.socketPath().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = XenstoreCommand.commandLine(cmd).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    @Test
    void readPrintsEscapedValuesAndPrefixes() {
        Run r = run("read", "/local/domain/0/name");
        assertEquals(new Run(0, "Domain-0\n", "", r.outBytes()), r);
        assertEquals("a\\tb\\\\c\\001\n", run("read", "/local/domain/0/data/bin").out());
        Run two = run("read", "-p", "/local/domain/0/name", "/tool/xenstored");
        assertEquals("/local/domain/0/name: Domain-0\n/tool/xenstored: \n", two.out());
    }

    @Test
    void readRawWritesTheBytes() {
        store.putBytes("/raw", new byte[] {1, (byte) 0xfe, '\n'});
        assertArrayEquals(new byte[] {1, (byte) 0xfe, '\n'}, run("read", "-R", "/raw").outBytes());
    }

    @Test
    void readOfMissingKeyFailsWithDebiansMessage() {
        Run r = run("read", "/nope");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("xenstore-read: couldn't read path /nope\n", r.err());
        // several keys: output before the failure is still printed, the transaction is aborted
        Run part = run("read", "/local/domain/0/name", "/nope");
        assertEquals(1, part.exit());
        assertEquals("Domain-0\n", part.out());
        assertEquals("F", lastOf(XsType.TRANSACTION_END).payloadString());
    }

    private XsMessage lastOf(XsType t) {
        XsMessage found = null;
        for (XsMessage m : log) {
            if (m.type() == t) {
                found = m;
            }
        }
        return found;
    }

    @Test
    void writeUnescapesUnlessRaw() {
        assertEquals(0, run("write", "/w/a", "x\\ty\\x41\\101\\").exit());
        assertArrayEquals(new byte[] {'x', '\t', 'y', 'A', 'A', 0}, store.get("/w/a"));
        assertEquals(0, run("write", "-R", "/w/b", "x\\ty").exit());
        assertArrayEquals("x\\ty".getBytes(StandardCharsets.US_ASCII), store.get("/w/b"));
        // one pair: no transaction; two pairs: one transaction
        int before = count(XsType.TRANSACTION_START);
        assertEquals(0, run("write", "/w/c", "1", "/w/d", "2").exit());
        assertEquals(before + 1, count(XsType.TRANSACTION_START));
        assertEquals(1, run("write", "/w/e").exit(), "an odd number of arguments is a usage error");
    }

    private int count(XsType t) {
        int n = 0;
        for (XsMessage m : log) {
            if (m.type() == t) {
                n++;
            }
        }
        return n;
    }

    @Test
    void transactionIsRerunOnEagain() {
        eagainOnCommit.set(2);
        Run r = run("read", "/local/domain/0/name", "/tool/xenstored");
        assertEquals(0, r.exit());
        assertEquals("Domain-0\n\n", r.out(), "output of the conflicting passes is discarded");
        assertEquals(3, count(XsType.TRANSACTION_START));
    }

    @Test
    void listWithAndWithoutPrefix() {
        assertEquals(new Run(0, "0\n5\n", "", "0\n5\n".getBytes(StandardCharsets.UTF_8)).out(),
                run("list", "/local/domain").out());
        assertEquals("/local/domain/0\n/local/domain/5\n", run("list", "-p", "/local/domain").out());
        assertEquals("//local\n//tool\n", run("list", "-p", "/").out(), "as Debian's 4.17 prints it");
        Run bad = run("list", "/missing");
        assertEquals(1, bad.exit());
        assertEquals("xenstore-list: could not list path /missing\n", bad.err());
    }

    @Test
    void lsPrintsTheIndentedTree() {
        Run r = run("ls", "/local/domain/5");
        assertEquals(0, r.exit());
        assertEquals("device = \"\"\n vif = \"\"\n  0 = \"\"\n   mac = \"00:16:3e:00:00:05\"\n", r.out());
    }

    @Test
    void lsFlatAndWithPermissions() {
        Run f = run("ls", "-f", "/local/domain/5");
        assertEquals("/local/domain/5/device = \"\"\n/local/domain/5/device/vif = \"\"\n"
                + "/local/domain/5/device/vif/0 = \"\"\n/local/domain/5/device/vif/0/mac = \"00:16:3e:00:00:05\"\n", f.out());
        store.perms("/local/domain/0/name", XsPermissions.parse("n0 r5"));
        Run p = run("ls", "-p", "/local/domain/0");
        String nameLine = p.out().lines().filter(l -> l.startsWith("name")).findFirst().orElseThrow();
        // "name" then value, a space, dots to column 60, then two spaces and the permissions
        String expectName = "name = \"Domain-0\"";
        StringBuilder dots = new StringBuilder(" ");
        for (int w = expectName.length() + 1; w < 60; w++) {
            dots.append((w & 1) != 0 ? '.' : ' ');
        }
        assertEquals(expectName + dots + "  (n0,r5)", nameLine);
        assertEquals(60 + "  (n0,r5)".length(), nameLine.length());
        assertTrue(p.out().startsWith("data = \"\"  . . . ."), p.out());
    }

    @Test
    void lsCutsLongValuesAt80Columns() {
        store.put("/long", "v".repeat(100));
        Run r = run("ls", "/");
        String line = r.out().lines().filter(l -> l.startsWith("long")).findFirst().orElseThrow();
        assertEquals("long = \"" + "v".repeat(80 - 8 - 4) + "\\...\"", line);
    }

    @Test
    void lsOfMissingPathUsesErrStyle() {
        Run r = run("ls", "/missing");
        assertEquals(1, r.exit());
        assertEquals("xenstore-ls: xs_directory (/missing): No such file or directory\n", r.err());
    }

    @Test
    void rmAndTidy() {
        assertEquals(0, run("rm", "/local/domain/0/name").exit());
        assertNull(store.get("/local/domain/0/name"));
        store.put("/t/a/b/c", "x").put("/t/keep", "1");
        assertEquals(0, run("rm", "-t", "/t/a/b/c").exit());
        assertNull(store.get("/t/a"), "empty valueless parents are removed");
        assertTrue(store.get("/t") != null, "/t still has a child");
        Run bad = run("rm", "/no/such/parent");
        assertEquals(1, bad.exit());
        assertEquals("xenstore-rm: could not remove path /no/such/parent\n", bad.err());
    }

    @Test
    void existsUsesOnlyTheExitCode() {
        assertEquals(new Run(0, "", "", new byte[0]).exit(), run("exists", "/local/domain/0/name").exit());
        Run no = run("exists", "/nope");
        assertEquals(1, no.exit());
        assertEquals("", no.out() + no.err());
    }

    @Test
    void mkdirCreatesEmptyNode() {
        assertEquals(0, run("mkdir", "/m/n").exit());
        assertArrayEquals(new byte[0], store.get("/m/n"));
    }

    @Test
    void chmodSetsRecursivelyAndUpwards() {
        assertEquals(0, run("chmod", "-r", "/local/domain/5", "b5", "r0").exit());
        assertEquals(XsPermissions.parse("b5 r0"), store.perms("/local/domain/5"));
        assertEquals(XsPermissions.parse("b5 r0"), store.perms("/local/domain/5/device/vif/0/mac"));
        assertEquals(0, run("chmod", "-u", "/local/domain/0/name", "n7").exit());
        assertEquals(XsPermissions.parse("n7"), store.perms("/local/domain"));
        assertEquals(XsPermissions.parse("n7"), store.perms("/local"));
        Run bad = run("chmod", "/local", "q1");
        assertEquals(1, bad.exit());
        assertEquals("xenstore-chmod: Invalid permission specification: 'q'\n", bad.err());
        Run missing = run("chmod", "/missing", "n0");
        assertEquals(1, missing.exit());
        assertEquals("xenstore-chmod: Error occurred setting permissions on '/missing': No such file or directory\n",
                missing.err());
    }

    @Test
    @Timeout(20)
    void watchPrintsEventPathsUntilCount() throws Exception {
        // the first event is the one xenstored fires when the watch is set; then a change below
        Thread changer = new Thread(() -> {
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> count(XsType.WATCH) == 1);
                peer.send(FakePeer.watchEvent("/local/domain/0/name", "/local/domain/0"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        changer.start();
        Run r = run("watch", "-n", "2", "/local/domain/0");
        changer.join(5000);
        assertEquals(0, r.exit());
        assertEquals("/local/domain/0\n/local/domain/0/name\n", r.out());
        XsMessage w = lastOf(XsType.WATCH);
        assertEquals(List.of("/local/domain/0", "/local/domain/0"), w.payloadStrings(false), "token = path");
    }

    @Test
    void unreachableXenstoredIsAnXsOpenError() throws Exception {
        peer.close();
        Run r = run("read", "/x");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("xenstore-read: xs_open: "), r.err());
    }

    @Test
    void helpExitsZeroButShortUsageAndBadArgumentsExitOneLikeDebian() {
        Run h = run("read", "--help");
        assertEquals(0, h.exit());
        assertTrue(h.out().contains("Example"), h.out());
        Run shortUsage = run("read", "-h");
        assertEquals(new Run(1, "", "xenstore-read: Usage: xnb xenstore read [-h] [-p] [-s] [-R] key [...]\n",
                new byte[0]).err(), shortUsage.err());
        assertEquals(1, shortUsage.exit());
        Run noKey = run("read");
        assertEquals(1, noKey.exit());
        assertEquals(shortUsage.err(), noKey.err());
        Run odd = run("write", "/a", "1", "/b");
        assertEquals(1, odd.exit());
        assertEquals("xenstore-write: Usage: xnb xenstore write [-h] [-s] [-R] key value [...]\n", odd.err());
        assertEquals("xenstore-watch: Usage: xnb xenstore watch [-h] [-n NR] key\n", run("watch").err());
        assertEquals(1, run("ls", "--bogus").exit());
        assertEquals(0, count(XsType.TRANSACTION_START) + count(XsType.WRITE), "nothing was sent");
    }

    @Test
    void chmodWithoutModesFailsLikeAnEmptySetPerms() {
        Run r = run("chmod", "/local");
        assertEquals(1, r.exit());
        assertEquals("xenstore-chmod: Error occurred setting permissions on '/local': Invalid argument\n", r.err());
    }
}
