package org.xnb.xenstore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watch events: order, isolation from replies, overflow coalescing, unwatch. */
class WatchDeliveryTest {
    private FakePeer peer;
    private XenstoreClient client;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        peer = new FakePeer();
        client = peer.connect(XenstoreClientConfig.defaults().withWatchQueueCapacity(4)
                .withRequestTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        client.close();
        peer.close();
    }

    private XsWatch watch(String path, String token, WatchListener l) throws Exception {
        CompletableFuture<XsWatch> f = client.watchAsync(path, token, l);
        peer.send(FakePeer.ok(peer.next()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void eventsArriveInOrderWithPathAndToken() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        watch("/be", "t", seen::add);
        List<WatchEvent> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WatchEvent e = new WatchEvent("/be/" + i, "t");
            sent.add(e);
            peer.send(FakePeer.watchEvent(e.path(), e.token()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
        assertEquals(sent, seen);
    }

    @Test
    void eventArrivingBeforeTheWatchReplyIsNotLost() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<XsWatch> f = client.watchAsync("/x", "early", seen::add);
        XsMessage req = peer.next();
        peer.send(FakePeer.watchEvent("/x", "early"));
        peer.send(FakePeer.ok(req));
        f.get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertEquals(new WatchEvent("/x", "early"), seen.get(0));
    }

    @Test
    void slowListenerDoesNotStallRepliesAndOverflowRefiresWithRegisteredPath() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch inListener = new CountDownLatch(1);
        watch("/slow", "s", e -> {
            inListener.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            seen.add(e);
        });
        peer.send(FakePeer.watchEvent("/slow/0", "s"));
        assertTrue(inListener.await(5, TimeUnit.SECONDS));
        // the listener is stuck; queue capacity is 4: events 1..4 queue, 5..9 are dropped
        for (int i = 1; i < 10; i++) {
            peer.send(FakePeer.watchEvent("/slow/" + i, "s"));
        }
        // replies still flow while the listener blocks
        CompletableFuture<byte[]> r = client.readAsync("/other");
        XsMessage req = peer.next();
        peer.send(FakePeer.replyBytes(req, new byte[] {'v'}));
        assertArrayEquals(new byte[] {'v'}, r.get(5, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.watchEventsDropped() == 5);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 6);
        List<WatchEvent> expect = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expect.add(new WatchEvent("/slow/" + i, "s"));
        }
        expect.add(new WatchEvent("/slow", "s")); // one re-fire for five dropped events, after the queued ones
        assertEquals(expect, seen);
        assertEquals(1, client.watchEventsRefired());
    }

    @Test
    void closedWatchGetsNoMoreEventsAndTokensMustBeUnique() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        XsWatch w = watch("/a", "tok", seen::add);
        assertThrows(IllegalArgumentException.class, () -> client.watchAsync("/b", "tok", e -> { }));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(w::close);
        peer.send(FakePeer.ok(peer.next()));
        closing.get(5, TimeUnit.SECONDS);
        peer.send(FakePeer.watchEvent("/a", "tok"));
        // a marker watch proves the dispatcher has processed everything sent before it
        List<WatchEvent> marker = new CopyOnWriteArrayList<>();
        watch("/m", "marker", marker::add);
        peer.send(FakePeer.watchEvent("/m", "marker"));
        await().atMost(Duration.ofSeconds(5)).until(() -> marker.size() == 1);
        assertTrue(seen.isEmpty());
        assertFalse(w.isActive());
    }

    @Test
    void failedWatchIsUnregistered() throws Exception {
        CompletableFuture<XsWatch> f = client.watchAsync("bad path", "t1", e -> { });
        peer.send(FakePeer.error(peer.next(), "EINVAL"));
        Throwable t = XenstoreClient.unwrap(assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS)));
        assertEquals(XsError.EINVAL, ((XenstoreException) t).error());
        // the token is free again
        CompletableFuture<XsWatch> g = client.watchAsync("/ok", "t1", e -> { });
        peer.send(FakePeer.ok(peer.next()));
        assertEquals("/ok", g.get(5, TimeUnit.SECONDS).path());
    }

    @Test
    void listenerMayUseBlockingApi() throws Exception {
        peer.respondWith(new ScriptedStore().put("/cfg/x", "42")::answer);
        CompletableFuture<String> got = new CompletableFuture<>();
        client.watch("/cfg", "c", e -> got.complete(client.readString("/cfg/x")));
        assertEquals("42", got.get(5, TimeUnit.SECONDS));
    }
}
