package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsType;

/**
 * Bad input from one client: it gets C's answer or is dropped, and a second connection proves
 * the server and the tree are unaffected.
 */
class BadInputTest extends ServerFixture {

    /** The witness: a second connection whose data must survive every bad client. */
    private RawClient witness() throws Exception {
        RawClient w = dom0();
        assertEquals("OK", w.write("/keep/me", "intact"));
        return w;
    }

    private static void assertIntact(RawClient w) throws Exception {
        assertEquals("intact", w.read("/keep/me"));
        List<String> top = w.dir("/");
        assertEquals(List.of("tool", "keep"), top.subList(0, 2), "the first nodes are still there, in order");
        assertEquals(List.of("me"), w.dir("/keep").subList(0, 1));
    }

    @Test
    void headerLengthOver4096DropsOnlyThatConnection() throws Exception {
        RawClient w = witness();
        RawClient bad = dom0();
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(XsType.WRITE.code()).putInt(1).putInt(0).putInt(4097);
        bad.sendRaw(h.array());
        assertTrue(bad.closedByServer());
        assertIntact(w);
        assertEquals(1, server.droppedConnections());
    }

    @Test
    void payloadWithoutNulIsEinval() throws Exception {
        RawClient w = witness();
        RawClient c = dom0();
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.READ, 0, "/keep/me".getBytes())));
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.WRITE, 0, "/keep/me".getBytes())));
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.RM, 0, "/keep".getBytes())));
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.DIRECTORY, 0, new byte[0])));
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.WATCH, 0, "/keep\0tok".getBytes())));
        assertEquals("ERR:EINVAL", RawClient.describe(c.call(XsType.READ, 0, "/keep\0/x\0".getBytes())),
                "onearg: exactly one NUL");
        assertIntact(w);
    }

    @Test
    void invalidPathsAreEinval() throws Exception {
        RawClient w = witness();
        RawClient c = dom0();
        String tooLong = "/" + "a".repeat(3072);
        for (String p : List.of(tooLong, "/a b", "/a.b", "/a//b", "/a/", "/ä", "/keep/me\\x", "", "@introduceDomain")) {
            assertEquals("ERR:EINVAL", c.write(p, "v"), "write " + p);
            assertEquals("ERR:EINVAL", c.read(p), "read " + p);
            assertEquals("ERR:EINVAL", c.text(XsType.MKDIR, p), "mkdir " + p);
        }
        assertEquals("OK", c.write("/" + "a".repeat(3071), "v"), "3072 characters are allowed");
        assertIntact(w);
    }

    @Test
    void relativePathCannotEscapeTheHome() throws Exception {
        RawClient w = witness();
        RawClient g = guest(3);
        assertEquals("ERR:EINVAL", g.write("../x", "v"));
        assertEquals("ERR:EINVAL", g.write("../../2/x", "v"));
        assertEquals("ERR:EINVAL", g.read(".."));
        assertEquals("ERR:EINVAL", g.text(XsType.WATCH, "../..", "t"));
        assertEquals(List.of("ERR:EACCES"), g.dir("/local/domain"));
        assertIntact(w);
    }

    @Test
    void droppedMidMessageCleansWatchesAndTransactions() throws Exception {
        RawClient w = witness();
        RawClient bad = dom0();
        bad.text(XsType.WATCH, "/keep", "t");
        int tx = bad.startTx();
        bad.writeTx(tx, "/keep/me", "corrupted");
        byte[] partial = new XsMessage(XsType.WRITE, 1, 0, XsMessage.nulJoined("/keep/me", "x")).toBytes();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.watchCount() == 1);
        bad.sendRaw(java.util.Arrays.copyOf(partial, 20));
        bad.close();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> server.connectionCount() == 1 && server.watchCount() == 0);
        assertIntact(w);
    }

    @Test
    void clientThatNeverReadsIsDroppedWithABoundedQueue() throws Exception {
        start(XenstoredConfig.DEFAULTS.withMaxQueuedReplies(32));
        RawClient w = witness();
        RawClient lazy = dom0();
        lazy.text(XsType.WATCH, "/keep", "t");
        // lazy never reads: its READ replies (3000 bytes each) and watch events fill the socket
        // buffers, then the server's queue of 32, then it is dropped
        RawClient writer = dom0();
        String big = "x".repeat(3000);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 50; i++) {
                writer.write("/keep/n" + (i % 7), big);
                try {
                    lazy.send(new XsMessage(XsType.READ, 1, 0, XsMessage.nulJoined("/keep/n0")));
                } catch (java.io.IOException dropped) {
                    break; // the server closed it: what this test waits for
                }
            }
            return server.droppedConnections() == 1;
        });
        assertEquals(2, server.connectionCount());
        assertIntact(w);
    }

    @Test
    void garbageTypeAndHugeTxIdDoNotHurt() throws Exception {
        RawClient w = witness();
        RawClient c = dom0();
        c.send(new XsMessage(-1, 3, 0, new byte[0]));
        assertEquals("ERR:ENOSYS", RawClient.describe(c.nextReply()));
        c.send(new XsMessage(XsType.READ, 4, -1, XsMessage.nulJoined("/keep/me")));
        assertEquals("ERR:ENOENT", RawClient.describe(c.nextReply()));
        assertIntact(w);
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        start(XenstoredConfig.DEFAULTS.withMaxConnections(2));
        RawClient w = witness();
        RawClient second = dom0();
        second.sync();
        RawClient third = dom0();
        assertTrue(third.closedByServer());
        assertEquals(2, server.connectionCount());
        assertIntact(w);
    }
}
