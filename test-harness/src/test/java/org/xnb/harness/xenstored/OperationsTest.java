package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsType;

/** Every request type, answered as C xenstored 4.17 answers it, over raw frames. */
class OperationsTest extends ServerFixture {

    @Test
    void initialTreeIsCsSetupStructure() throws Exception {
        RawClient c = dom0();
        assertEquals(List.of("tool"), c.dir("/"));
        assertEquals(List.of("xenstored"), c.dir("/tool"));
        assertEquals("n0", c.text(XsType.GET_PERMS, "/tool/xenstored"));
    }

    @Test
    void writeThenReadReturnsValueWithoutNul() throws Exception {
        RawClient c = dom0();
        assertEquals("OK", c.write("/a/b", "hello"));
        XsMessage r = c.call(XsType.READ, "/a/b");
        assertEquals(XsType.READ, r.type());
        assertArrayEquals("hello".getBytes(), r.payload());
        assertEquals("", c.read("/a"), "intermediate node created empty");
    }

    @Test
    void replyEchoesRequestIdAndTransactionId() throws Exception {
        RawClient c = dom0();
        int tx = c.startTx();
        c.send(new XsMessage(XsType.READ, 77, tx, XsMessage.nulJoined("/tool")));
        XsMessage r = c.nextReply();
        assertEquals(77, r.reqId());
        assertEquals(tx, r.txId());
    }

    @Test
    void writeBinaryValueKeepsEveryByte() throws Exception {
        RawClient c = dom0();
        byte[] payload = {'/', 'x', 0, 1, 0, (byte) 0xff, 2};
        assertEquals(XsType.WRITE, c.call(XsType.WRITE, 0, payload).type());
        assertArrayEquals(new byte[] {1, 0, (byte) 0xff, 2}, c.call(XsType.READ, "/x").payload());
    }

    @Test
    void readMissingIsEnoent() throws Exception {
        assertEquals("ERR:ENOENT", dom0().read("/nope"));
    }

    @Test
    void mkdirCreatesEmptyAndExistingIsOk() throws Exception {
        RawClient c = dom0();
        assertEquals("OK", c.text(XsType.MKDIR, "/m/n"));
        assertEquals("", c.read("/m/n"));
        c.write("/m/n", "v");
        assertEquals("OK", c.text(XsType.MKDIR, "/m/n"));
        assertEquals("v", c.read("/m/n"), "mkdir of an existing node changes nothing");
    }

    @Test
    void directoryListsChildrenInCreationOrder() throws Exception {
        RawClient c = dom0();
        c.write("/d/zeta", "");
        c.write("/d/alpha", "");
        c.write("/d/mid", "");
        assertEquals(List.of("zeta", "alpha", "mid"), c.dir("/d"));
        assertEquals(List.of(), c.dir("/d/zeta"));
    }

    @Test
    void rmRemovesSubtreeAndParentEntry() throws Exception {
        RawClient c = dom0();
        c.write("/r/a/b", "1");
        c.write("/r/c", "2");
        assertEquals("OK", c.text(XsType.RM, "/r/a"));
        assertEquals("ERR:ENOENT", c.read("/r/a/b"));
        assertEquals("ERR:ENOENT", c.read("/r/a"));
        assertEquals(List.of("c"), c.dir("/r"));
    }

    @Test
    void rmOfMissingNodeWithExistingParentIsOk() throws Exception {
        RawClient c = dom0();
        c.write("/p", "");
        assertEquals("OK", c.text(XsType.RM, "/p/missing"));
        assertEquals("ERR:ENOENT", c.text(XsType.RM, "/nothere/missing"));
    }

    @Test
    void rmOfRootIsEinval() throws Exception {
        RawClient c = dom0();
        assertEquals("ERR:EINVAL", c.text(XsType.RM, "/"));
        assertEquals(List.of("tool"), c.dir("/"));
    }

    @Test
    void setAndGetPerms() throws Exception {
        RawClient c = dom0();
        c.write("/p", "v");
        assertEquals("OK", c.text(XsType.SET_PERMS, "/p", "b3", "r5", "w7"));
        XsMessage r = c.call(XsType.GET_PERMS, "/p");
        assertEquals(List.of("b3", "r5", "w7"), r.payloadStrings(false));
        assertEquals("ERR:EINVAL", c.text(XsType.SET_PERMS, "/p"), "no permission given");
        assertEquals("ERR:EINVAL", c.text(XsType.SET_PERMS, "/p", "x1"), "bad letter");
        assertEquals("ERR:ENOENT", c.text(XsType.SET_PERMS, "/missing", "n0"));
    }

    @Test
    void directoryOver4096BytesIsE2bigAndDirectoryPartPagesIt() throws Exception {
        RawClient c = dom0();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String n = "child-with-a-longish-name-" + i;
            names.add(n);
            c.text(XsType.MKDIR, "/big/" + n);
        }
        assertEquals(List.of("ERR:E2BIG"), c.dir("/big"));

        List<String> got = new ArrayList<>();
        String gen = null;
        int off = 0;
        for (int part = 0; part < 10; part++) {
            XsMessage r = c.call(XsType.DIRECTORY_PART, "/big", Integer.toString(off));
            assertEquals(XsType.DIRECTORY_PART, r.type(), RawClient.describe(r));
            assertTrue(r.payload().length <= 4096);
            List<String> s = r.payloadStrings(false);
            if (gen == null) {
                gen = s.get(0);
            }
            assertEquals(gen, s.get(0), "generation stays while the node is unchanged");
            List<String> kids = s.subList(1, s.size());
            boolean last = !kids.isEmpty() && kids.get(kids.size() - 1).isEmpty();
            for (String k : kids) {
                if (!k.isEmpty()) {
                    got.add(k);
                    off += k.length() + 1;
                }
            }
            if (last) {
                break;
            }
        }
        assertEquals(names, got);
        XsMessage end = c.call(XsType.DIRECTORY_PART, "/big", Integer.toString(off + 5));
        assertEquals(List.of(gen, ""), end.payloadStrings(false), "offset past the end: gen and an empty name");
        assertEquals("ERR:EINVAL", c.text(XsType.DIRECTORY_PART, "/big"));
    }

    @Test
    void getDomainPathAndIsDomainIntroduced() throws Exception {
        RawClient c = dom0();
        assertEquals("/local/domain/7", c.text(XsType.GET_DOMAIN_PATH, "7"));
        assertEquals("T", c.text(XsType.IS_DOMAIN_INTRODUCED, "0"));
        assertEquals("F", c.text(XsType.IS_DOMAIN_INTRODUCED, "7"));
        assertEquals("T", c.text(XsType.IS_DOMAIN_INTRODUCED, "32752"), "DOMID_SELF");
        assertEquals("OK", c.text(XsType.INTRODUCE, "7", "1234", "5"));
        assertEquals("T", c.text(XsType.IS_DOMAIN_INTRODUCED, "7"));
        assertEquals("OK", c.text(XsType.RESUME, "7"));
        assertEquals("n7", c.text(XsType.GET_PERMS, "/local/domain/7"));
        assertTrue(Files.exists(server.domainSocketPath(7)));
        assertEquals("OK", c.text(XsType.RELEASE, "7"));
        assertEquals("F", c.text(XsType.IS_DOMAIN_INTRODUCED, "7"));
        assertFalse(Files.exists(server.domainSocketPath(7)), "socket removed on release");
        assertEquals("ERR:ENOENT", c.text(XsType.RELEASE, "7"));
        assertEquals("ERR:EINVAL", c.text(XsType.RELEASE, "0"));
        assertEquals("ERR:EINVAL", c.text(XsType.INTRODUCE, "8", "1", "0"), "port must be positive");
        assertEquals("ERR:EINVAL", c.text(XsType.INTRODUCE, "8", "1"));
    }

    @Test
    void releaseHandsTheDomainsNodesToDom0() throws Exception {
        RawClient g = guest(4);
        assertEquals("OK", g.write("data", "x"));
        RawClient c = dom0();
        assertEquals("n4", c.text(XsType.GET_PERMS, "/local/domain/4/data"));
        server.releaseDomain(4);
        assertEquals("n0", c.text(XsType.GET_PERMS, "/local/domain/4/data"));
        assertEquals("x", c.read("/local/domain/4/data"));
    }

    @Test
    void unknownTypeIsEnosysAndConnectionLives() throws Exception {
        RawClient c = dom0();
        c.send(new XsMessage(99, 5, 0, XsMessage.nulJoined("/")));
        XsMessage r = c.nextReply();
        assertEquals(XsType.ERROR, r.type());
        assertEquals("ENOSYS", r.payloadString());
        assertEquals(5, r.reqId());
        c.send(new XsMessage(XsType.WATCH_EVENT, 6, 0, XsMessage.nulJoined("/", "t")));
        assertEquals("ENOSYS", c.nextReply().payloadString());
        assertEquals(List.of("tool"), c.dir("/"));
    }

    @Test
    void privilegedRequestsFromGuestAreEacces() throws Exception {
        RawClient g = guest(3);
        assertEquals("ERR:EACCES", g.text(XsType.INTRODUCE, "9", "1", "1"));
        assertEquals("ERR:EACCES", g.text(XsType.RELEASE, "3"));
        assertEquals("ERR:EACCES", g.text(XsType.IS_DOMAIN_INTRODUCED, "3"));
        assertEquals("/local/domain/9", g.text(XsType.GET_DOMAIN_PATH, "9"));
    }

    @Test
    void countersFollowConnectionsAndWatches() throws Exception {
        RawClient a = dom0();
        RawClient b = dom0();
        a.sync();
        b.sync();
        assertEquals(2, server.connectionCount());
        a.text(XsType.WATCH, "/x", "t1");
        b.text(XsType.WATCH, "/y", "t2");
        a.sync();
        assertEquals(2, server.watchCount());
        b.close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> server.connectionCount() == 1 && server.watchCount() == 1);
    }

    @Test
    void closeRemovesEverySocketFile() throws Exception {
        dom0().sync();
        server.introduceDomain(12);
        assertTrue(Files.exists(server.domainSocketPath(12)));
        server.close();
        assertFalse(Files.exists(server.socketPath()));
        assertFalse(Files.exists(server.domainSocketPath(12)));
    }

    @Test
    void reintroduceResetsTheDomainsWatchesAndTransactions() throws Exception {
        RawClient g = guest(5);
        g.text(XsType.WATCH, "x", "t");
        int tx = g.startTx();
        g.drainEvents();
        RawClient d = dom0();
        d.text(XsType.WATCH, "@introduceDomain", "in");
        d.drainEvents();
        assertEquals("OK", d.text(XsType.INTRODUCE, "5", "1", "1"));
        assertEquals(List.of(), d.drainEvents(), "no @introduceDomain for a known domain");
        assertEquals("ERR:ENOENT", g.textTx(XsType.READ, tx, "x"));
        g.write("x", "1");
        assertEquals(List.of(), g.drainEvents());
    }

    @Test
    void refusesASocketInUseAndReplacesAStaleOne() throws Exception {
        dom0().sync();
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> XenstoredServer.start(server.socketPath()).close());
        assertTrue(e.getMessage().contains("another server is listening"), e.getMessage());

        java.nio.file.Path stale = dir.resolve("stale");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "a socket file left behind");
        try (XenstoredServer s = XenstoredServer.start(stale); RawClient c = new RawClient(stale)) {
            assertEquals(List.of("tool"), c.dir("/"));
        }
        assertFalse(Files.exists(stale));
    }
}
