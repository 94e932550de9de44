package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operation's request as it appears on the wire, and how its reply is parsed. */
class XenstoreClientWireTest {
    private FakePeer peer;
    private XenstoreClient client;

    @BeforeEach
    void setUp() throws Exception {
        peer = new FakePeer();
        client = peer.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        peer.close();
    }

    private static byte[] nul(String... parts) {
        return XsMessage.nulJoined(parts);
    }

    private static <T> T done(CompletableFuture<T> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void readIsTypeTwoWithNulTerminatedPathAndReturnsRawValue() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/a/b");
        XsMessage req = peer.next();
        // type=2, req_id, tx_id=0, len=5, "/a/b\0" -- all little-endian
        String hex = HexFormat.of().formatHex(req.toBytes());
        assertEquals("02000000" + HexFormat.of().formatHex(le(req.reqId())) + "00000000" + "05000000"
                + "2f612f6200", hex);
        peer.send(FakePeer.replyBytes(req, new byte[] {'v', 0, (byte) 0xff}));
        assertArrayEquals(new byte[] {'v', 0, (byte) 0xff}, done(f));
    }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    @Test
    void writeSendsPathNulThenValueWithoutTerminator() throws Exception {
        CompletableFuture<Void> f = client.writeAsync("/k", "héllo");
        XsMessage req = peer.next();
        assertEquals(XsType.WRITE, req.type());
        byte[] v = "héllo".getBytes(StandardCharsets.UTF_8);
        byte[] expect = new byte[3 + v.length];
        System.arraycopy(nul("/k"), 0, expect, 0, 3);
        System.arraycopy(v, 0, expect, 3, v.length);
        assertArrayEquals(expect, req.payload());
        assertEquals(0, req.txId());
        peer.send(FakePeer.ok(req));
        assertNull(done(f));
    }

    @Test
    void directoryParsesNulSeparatedNamesAndEmptyList() throws Exception {
        CompletableFuture<List<String>> f = client.directoryAsync("/local/domain");
        XsMessage req = peer.next();
        assertEquals(new XsMessage(XsType.DIRECTORY, req.reqId(), 0, nul("/local/domain")), req);
        peer.send(FakePeer.reply(req, "0", "5", "12"));
        assertEquals(List.of("0", "5", "12"), done(f));

        CompletableFuture<List<String>> g = client.directoryAsync("/empty");
        XsMessage req2 = peer.next();
        peer.send(FakePeer.replyBytes(req2, new byte[0]));
        assertEquals(List.of(), done(g));
    }

    @Test
    void mkdirRmAndPermissionsRequests() throws Exception {
        CompletableFuture<Void> m = client.mkdirAsync("/d");
        XsMessage r1 = peer.next();
        assertEquals(new XsMessage(XsType.MKDIR, r1.reqId(), 0, nul("/d")), r1);
        peer.send(FakePeer.ok(r1));
        done(m);

        CompletableFuture<Void> rm = client.rmAsync("/d");
        XsMessage r2 = peer.next();
        assertEquals(new XsMessage(XsType.RM, r2.reqId(), 0, nul("/d")), r2);
        peer.send(FakePeer.ok(r2));
        done(rm);

        CompletableFuture<XsPermissions> gp = client.getPermissionsAsync("/d");
        XsMessage r3 = peer.next();
        assertEquals(new XsMessage(XsType.GET_PERMS, r3.reqId(), 0, nul("/d")), r3);
        peer.send(FakePeer.reply(r3, "n5", "r0", "b7"));
        assertEquals(XsPermissions.parse("n5 r0 b7"), done(gp));

        CompletableFuture<Void> sp = client.setPermissionsAsync("/d", XsPermissions.parse("w1 r2"));
        XsMessage r4 = peer.next();
        assertEquals(new XsMessage(XsType.SET_PERMS, r4.reqId(), 0, nul("/d", "w1", "r2")), r4);
        peer.send(FakePeer.ok(r4));
        done(sp);
    }

    @Test
    void transactionStartAndEndCarryIdsAndLetters() throws Exception {
        CompletableFuture<Integer> s = client.transactionStartAsync();
        XsMessage r1 = peer.next();
        assertEquals(new XsMessage(XsType.TRANSACTION_START, r1.reqId(), 0, new byte[] {0}), r1);
        peer.send(FakePeer.reply(r1, "4000000000"));
        int tx = done(s);
        assertEquals("4000000000", Integer.toUnsignedString(tx));

        CompletableFuture<Void> c = client.transactionEndAsync(tx, true);
        XsMessage r2 = peer.next();
        assertEquals(new XsMessage(XsType.TRANSACTION_END, r2.reqId(), tx, nul("T")), r2);
        peer.send(FakePeer.ok(r2));
        done(c);

        CompletableFuture<Void> a = client.transactionEndAsync(7, false);
        XsMessage r3 = peer.next();
        assertEquals(new XsMessage(XsType.TRANSACTION_END, r3.reqId(), 7, nul("F")), r3);
        peer.send(FakePeer.ok(r3));
        done(a);

        CompletableFuture<byte[]> inTx = CompletableFuture.supplyAsync(() -> client.inTransaction(7).read("/x"));
        XsMessage r4 = peer.next();
        assertEquals(new XsMessage(XsType.READ, r4.reqId(), 7, nul("/x")), r4);
        peer.send(FakePeer.replyBytes(r4, "1".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals("1".getBytes(StandardCharsets.US_ASCII), done(inTx));
    }

    @Test
    void domainOperations() throws Exception {
        CompletableFuture<Void> intro = client.introduceAsync(5, 0x123456789L, 17);
        XsMessage r1 = peer.next();
        assertEquals(new XsMessage(XsType.INTRODUCE, r1.reqId(), 0, nul("5", "4886718345", "17")), r1);
        peer.send(FakePeer.ok(r1));
        done(intro);

        CompletableFuture<Void> rel = client.releaseAsync(5);
        XsMessage r2 = peer.next();
        assertEquals(new XsMessage(XsType.RELEASE, r2.reqId(), 0, nul("5")), r2);
        peer.send(FakePeer.ok(r2));
        done(rel);

        CompletableFuture<String> dp = client.getDomainPathAsync(5);
        XsMessage r3 = peer.next();
        assertEquals(new XsMessage(XsType.GET_DOMAIN_PATH, r3.reqId(), 0, nul("5")), r3);
        peer.send(FakePeer.reply(r3, "/local/domain/5"));
        assertEquals("/local/domain/5", done(dp));

        CompletableFuture<Boolean> yes = client.isDomainIntroducedAsync(5);
        XsMessage r4 = peer.next();
        assertEquals(new XsMessage(XsType.IS_DOMAIN_INTRODUCED, r4.reqId(), 0, nul("5")), r4);
        peer.send(FakePeer.reply(r4, "T"));
        assertTrue(done(yes));
        CompletableFuture<Boolean> no = client.isDomainIntroducedAsync(6);
        peer.send(FakePeer.reply(peer.next(), "F"));
        assertFalse(done(no));

        CompletableFuture<XsWatch> wf = client.watchAsync("/w", "w", e -> { });
        peer.send(FakePeer.ok(peer.next()));
        XsWatch w = done(wf);
        CompletableFuture<Void> reset = client.resetWatchesAsync();
        XsMessage r5 = peer.next();
        assertEquals(new XsMessage(XsType.RESET_WATCHES, r5.reqId(), 0, new byte[] {0}), r5);
        peer.send(FakePeer.ok(r5));
        done(reset);
        assertFalse(w.isActive(), "xenstored dropped the watch, so the client stops delivering it");
    }

    @Test
    void watchAndUnwatchSendPathAndToken() throws Exception {
        CompletableFuture<XsWatch> w = client.watchAsync("/backend/vif", "tok1", e -> { });
        XsMessage r1 = peer.next();
        assertEquals(new XsMessage(XsType.WATCH, r1.reqId(), 0, nul("/backend/vif", "tok1")), r1);
        peer.send(FakePeer.ok(r1));
        XsWatch watch = done(w);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(watch::close);
        XsMessage r2 = peer.next();
        assertEquals(new XsMessage(XsType.UNWATCH, r2.reqId(), 0, nul("/backend/vif", "tok1")), r2);
        peer.send(FakePeer.ok(r2));
        done(closing);
        assertFalse(watch.isActive());
    }

    @Test
    void errorReplyBecomesXenstoreExceptionWithName() throws Exception {
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> client.read("/missing"));
        XsMessage req = peer.next();
        peer.send(FakePeer.error(req, "ENOENT"));
        Throwable c = assertThrows(Exception.class, () -> done(t)).getCause();
        XenstoreException xe = (XenstoreException) c;
        assertEquals(XsError.ENOENT, xe.error());
        assertEquals("ENOENT", xe.wireName());
        assertTrue(xe.getMessage().contains("READ /missing"), xe.getMessage());

        CompletableFuture<byte[]> f = client.readAsync("/x");
        peer.send(FakePeer.error(peer.next(), "EWHATEVER"));
        XenstoreException odd = (XenstoreException) XenstoreClient.unwrap(assertThrows(Exception.class, () -> done(f)));
        assertEquals(XsError.EINVAL, odd.error());
        assertEquals("EWHATEVER", odd.wireName());
    }

    @Test
    void existsMapsEnoentToFalseAndOtherErrorsThrough() throws Exception {
        CompletableFuture<Boolean> a = client.existsAsync("/there");
        peer.send(FakePeer.replyBytes(peer.next(), new byte[0]));
        assertTrue(done(a));
        CompletableFuture<Boolean> b = client.existsAsync("/gone");
        peer.send(FakePeer.error(peer.next(), "ENOENT"));
        assertFalse(done(b));
        CompletableFuture<Boolean> c = client.existsAsync("/secret");
        peer.send(FakePeer.error(peer.next(), "EACCES"));
        Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> done(c)));
        assertEquals(XsError.EACCES, ((XenstoreException) t).error());
    }

    @Test
    void replyOfWrongTypeFailsTheRequest() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/x");
        XsMessage req = peer.next();
        peer.send(new XsMessage(XsType.DIRECTORY, req.reqId(), 0, new byte[0]));
        Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> done(f)));
        assertTrue(t instanceof XenstoreConnectionException && t.getMessage().contains("DIRECTORY"), t.toString());
    }

    @Test
    void oversizedPayloadIsRejectedBeforeSending() throws Exception {
        String big = "x".repeat(XsWire.PAYLOAD_MAX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.write("/k", big));
        assertTrue(e.getMessage().contains("exceeds XENSTORE_PAYLOAD_MAX"), e.getMessage());
        // exactly 4096 bytes of payload is allowed: "/k\0" + 4093 bytes
        CompletableFuture<Void> ok = client.writeAsync("/k", "y".repeat(XsWire.PAYLOAD_MAX - 3));
        XsMessage req = peer.next();
        assertEquals(XsWire.PAYLOAD_MAX, req.payload().length);
        peer.send(FakePeer.ok(req));
        done(ok);
        assertNull(peer.poll(Duration.ofMillis(50)), "the oversized request must not reach the wire");
    }

    @Test
    void nulInPathIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> client.readAsync("/a\0b"));
    }
}
