package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link XenstoreClient#transaction}: commit, retry on EAGAIN (bounded), abort on failure. */
class TransactionRetryTest {
    private FakePeer peer;
    private XenstoreClient client;
    private final List<XsMessage> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger conflictsLeft = new AtomicInteger();
    private final AtomicInteger txIds = new AtomicInteger(100);

    @BeforeEach
    void setUp() throws Exception {
        peer = new FakePeer();
        ScriptedStore store = new ScriptedStore().put("/counter", "0");
        peer.respondWith(req -> {
            log.add(req);
            if (req.type() == XsType.TRANSACTION_START) {
                return List.of(FakePeer.reply(req, Integer.toString(txIds.incrementAndGet())));
            }
            if (req.type() == XsType.TRANSACTION_END && "T".equals(req.payloadString())
                    && conflictsLeft.getAndDecrement() > 0) {
                return List.of(FakePeer.error(req, "EAGAIN"));
            }
            return store.answer(req);
        });
        client = peer.connect(XenstoreClientConfig.defaults().withMaxTransactionAttempts(5)
                .withTransactionBackoff(Duration.ofNanos(1000)).withRequestTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        peer.close();
    }

    private List<XsMessage> ofType(XsType t) {
        List<XsMessage> out = new ArrayList<>();
        for (XsMessage m : log) {
            if (m.type() == t) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void commitsWithTheTransactionIdOnEveryRequest() {
        String r = client.transaction(tx -> {
            String v = tx.readString("/counter");
            tx.write("/counter", Integer.toString(Integer.parseInt(v) + 1));
            return v;
        });
        assertEquals("0", r);
        assertEquals(101, ofType(XsType.READ).get(0).txId());
        assertEquals(101, ofType(XsType.WRITE).get(0).txId());
        XsMessage end = ofType(XsType.TRANSACTION_END).get(0);
        assertEquals(101, end.txId());
        assertEquals("T", end.payloadString());
        assertEquals(1, client.transactionAttempts());
    }

    @Test
    void eagainOnCommitRerunsTheWholeClosure() {
        conflictsLeft.set(2);
        AtomicInteger runs = new AtomicInteger();
        client.transaction(tx -> {
            runs.incrementAndGet();
            tx.write("/counter", "x");
            return null;
        });
        assertEquals(3, runs.get());
        assertEquals(3, client.transactionAttempts());
        assertEquals(3, ofType(XsType.TRANSACTION_START).size());
        List<Integer> ends = new ArrayList<>();
        for (XsMessage m : ofType(XsType.TRANSACTION_END)) {
            ends.add(m.txId());
        }
        assertEquals(List.of(101, 102, 103), ends, "each attempt ends its own transaction");
    }

    @Test
    void givesUpAfterTheConfiguredNumberOfAttempts() {
        conflictsLeft.set(Integer.MAX_VALUE);
        AtomicInteger runs = new AtomicInteger();
        XenstoreException e = assertThrows(XenstoreException.class, () -> client.transaction(tx -> {
            runs.incrementAndGet();
            return tx.readString("/counter");
        }));
        assertEquals(XsError.EAGAIN, e.error());
        assertTrue(e.getMessage().contains("5 attempts"), e.getMessage());
        assertEquals(5, runs.get());
        assertEquals(5, ofType(XsType.TRANSACTION_START).size());
    }

    @Test
    void exceptionInClosureAbortsAndPropagates() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.transaction(tx -> {
            tx.write("/counter", "9");
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", e.getMessage());
        List<XsMessage> ends = ofType(XsType.TRANSACTION_END);
        assertEquals(1, ends.size());
        assertEquals("F", ends.get(0).payloadString());
        assertEquals(1, client.transactionAttempts());
    }

    @Test
    void storeErrorInsideAbortsWithoutRetry() {
        XenstoreException e = assertThrows(XenstoreException.class,
                () -> client.transaction(tx -> tx.read("/missing")));
        assertEquals(XsError.ENOENT, e.error());
        assertEquals("F", ofType(XsType.TRANSACTION_END).get(0).payloadString());
        assertEquals(1, client.transactionAttempts());
    }
}
