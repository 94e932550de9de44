package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** req_id matching, pipelining from many threads, and what happens when the peer goes away. */
class XenstoreClientConcurrencyTest {
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

    @Test
    void repliesInReverseOrderReachTheirOwnRequests() throws Exception {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        List<XsMessage> reqs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(client.readAsync("/n" + i));
        }
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            XsMessage r = peer.next();
            reqs.add(r);
            ids.add(r.reqId());
        }
        assertEquals(8, ids.size(), "each in-flight request needs its own req_id");
        Collections.reverse(reqs);
        for (XsMessage r : reqs) {
            // the value is the path that was asked for
            peer.send(FakePeer.replyBytes(r, r.payloadString().getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(("/n" + i).getBytes(StandardCharsets.UTF_8), futures.get(i).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void manyThreadsWithManyRequestsInFlightAllGetTheirAnswers() throws Exception {
        // The peer answers in batches of 16, each batch reversed: replies always out of order.
        List<XsMessage> batch = new ArrayList<>();
        peer.respondWith(req -> {
            synchronized (batch) {
                batch.add(req);
                if (batch.size() < 16) {
                    return List.of();
                }
                List<XsMessage> out = new ArrayList<>();
                for (int i = batch.size() - 1; i >= 0; i--) {
                    XsMessage r = batch.get(i);
                    out.add(FakePeer.replyBytes(r, r.payloadString().getBytes(StandardCharsets.UTF_8)));
                }
                batch.clear();
                return out;
            }
        });
        int threads = 8;
        int perThread = 400; // 3200 requests: a multiple of 16, so every batch completes
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(client.readStringAsync("/t" + id + "/" + i));
                    }
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        assertEquals("/t" + id + "/" + i, mine.get(i).get(20, TimeUnit.SECONDS));
                        ok++;
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, total);
            assertEquals(0, client.unmatchedReplies());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void replyForUnknownReqIdIsCountedAndIgnored() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/a");
        XsMessage req = peer.next();
        peer.send(new XsMessage(XsType.READ, req.reqId() + 1000, 0, new byte[] {'x'}));
        peer.send(FakePeer.replyBytes(req, new byte[] {'y'}));
        assertArrayEquals(new byte[] {'y'}, f.get(5, TimeUnit.SECONDS));
        assertEquals(1, client.unmatchedReplies());
    }

    @Test
    void connectionDropFailsEveryPendingRequestAndLaterOnes() throws Exception {
        List<CompletableFuture<byte[]>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(client.readAsync("/p" + i));
        }
        for (int i = 0; i < 5; i++) {
            peer.next();
        }
        peer.dropConnections();
        for (CompletableFuture<byte[]> f : pending) {
            Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS)));
            assertInstanceOf(XenstoreConnectionException.class, t);
            assertTrue(t.getMessage().contains("lost"), t.getMessage());
        }
        assertFalse(client.isOpen());
        XenstoreConnectionException later = assertThrows(XenstoreConnectionException.class, () -> client.read("/x"));
        assertTrue(later.getMessage().contains("lost"), later.getMessage());
    }

    @Test
    void oversizedReplyHeaderBreaksTheConnection() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/a");
        XsMessage req = peer.next();
        byte[] hdr = new XsMessage(XsType.READ, req.reqId(), 0, new byte[0]).toBytes();
        hdr[12] = 0x01;
        hdr[13] = 0x10; // len = 4097
        peer.sendBytes(hdr);
        Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS)));
        assertInstanceOf(XenstoreConnectionException.class, t);
        assertTrue(t.getMessage().contains("XENSTORE_PAYLOAD_MAX"), t.getMessage());
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheConnection() throws Exception {
        CompletableFuture<byte[]> f;
        Thread.currentThread().interrupt();
        try {
            f = client.readAsync("/a");
        } finally {
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is preserved");
        }
        peer.send(FakePeer.replyBytes(peer.next(), new byte[] {'1'}));
        assertArrayEquals(new byte[] {'1'}, f.get(5, TimeUnit.SECONDS));
        assertTrue(client.isOpen());
    }

    @Test
    void closeFailsPendingRequests() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/a");
        peer.next();
        client.close();
        Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS)));
        assertEquals("xenstore client closed", t.getMessage());
    }

    @Test
    void blockingCallTimesOutWhenNoReplyComes() throws Exception {
        try (XenstoreClient quick = peer.connect(XenstoreClientConfig.defaults()
                .withRequestTimeout(Duration.ofMillis(200)))) {
            CompletableFuture<byte[]> older = quick.readAsync("/older");
            XenstoreTimeoutException e = assertThrows(XenstoreTimeoutException.class, () -> quick.read("/slow"));
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
            // the unanswered requests are expired, not left in the table
            assertEquals(0, quick.pendingRequests());
            assertInstanceOf(XenstoreTimeoutException.class,
                    XenstoreClient.unwrap(assertThrows(Exception.class, () -> older.get(5, TimeUnit.SECONDS))));
            // a late reply is counted as unmatched and does no harm
            XsMessage first = peer.next();
            peer.send(FakePeer.replyBytes(first, new byte[0]));
            peer.send(FakePeer.replyBytes(peer.next(), new byte[0]));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> quick.unmatchedReplies() == 2);
        }
    }

    @Test
    void blockingCallOnReaderThreadIsRefused() throws Exception {
        CompletableFuture<byte[]> f = client.readAsync("/a");
        CompletableFuture<Throwable> seen = f.handle((v, ex) -> {
            try {
                client.read("/b");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        peer.send(FakePeer.replyBytes(peer.next(), new byte[0]));
        Throwable t = seen.get(5, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("deadlock"));
    }
}
