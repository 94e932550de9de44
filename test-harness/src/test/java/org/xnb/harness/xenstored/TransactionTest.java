package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsType;

/** Isolation, EAGAIN on conflict, abort and watch timing (C's xenstored_transaction.c). */
class TransactionTest extends ServerFixture {

    @Test
    void changesAreInvisibleOutsideUntilCommit() throws Exception {
        RawClient a = dom0();
        RawClient b = dom0();
        int tx = a.startTx();
        assertEquals("OK", a.writeTx(tx, "/t/x", "1"));
        assertEquals("1", a.textTx(XsType.READ, tx, "/t/x"), "a transaction sees its own changes");
        assertEquals("ERR:ENOENT", a.read("/t/x"));
        assertEquals("ERR:ENOENT", b.read("/t/x"));
        assertEquals("OK", a.textTx(XsType.TRANSACTION_END, tx, "T"));
        assertEquals("1", b.read("/t/x"));
    }

    @Test
    void abortDiscardsChanges() throws Exception {
        RawClient a = dom0();
        a.write("/k", "old");
        int tx = a.startTx();
        a.writeTx(tx, "/k", "new");
        a.textTx(XsType.RM, tx, "/tool");
        assertEquals("OK", a.textTx(XsType.TRANSACTION_END, tx, "F"));
        assertEquals("old", a.read("/k"));
        assertEquals(List.of("tool", "k"), a.dir("/"));
        assertEquals("ERR:ENOENT", a.textTx(XsType.TRANSACTION_END, tx, "T"), "ended either way");
    }

    @Test
    void commitFailsWithEagainWhenAnAccessedNodeChanged() throws Exception {
        RawClient a = dom0();
        RawClient b = dom0();
        a.write("/c", "0");
        int tx = a.startTx();
        assertEquals("0", a.textTx(XsType.READ, tx, "/c"));
        a.writeTx(tx, "/other", "x");
        b.write("/c", "changed");
        assertEquals("ERR:EAGAIN", a.textTx(XsType.TRANSACTION_END, tx, "T"));
        assertEquals("ERR:ENOENT", a.read("/other"), "nothing of the failed transaction applied");
        assertEquals("changed", a.read("/c"));
    }

    @Test
    void nodeCreatedMeanwhileConflictsWithReadOfItsAbsence() throws Exception {
        RawClient a = dom0();
        RawClient b = dom0();
        int tx = a.startTx();
        assertEquals("ERR:ENOENT", a.textTx(XsType.READ, tx, "/late"));
        b.write("/late", "1");
        assertEquals("ERR:EAGAIN", a.textTx(XsType.TRANSACTION_END, tx, "T"));
    }

    @Test
    void unrelatedChangesDoNotConflict() throws Exception {
        RawClient a = dom0();
        RawClient b = dom0();
        a.write("/mine", "0");
        int tx = a.startTx();
        a.writeTx(tx, "/mine", "1");
        b.write("/tool/other", "x");
        assertEquals("OK", a.textTx(XsType.TRANSACTION_END, tx, "T"));
        assertEquals("1", b.read("/mine"));
    }

    @Test
    void watchesFireAtCommitNotBefore() throws Exception {
        RawClient w = dom0();
        w.text(XsType.WATCH, "/t", "t");
        w.drainEvents();
        RawClient a = dom0();
        int tx = a.startTx();
        a.writeTx(tx, "/t/x", "1");
        assertEquals(List.of(), w.drainEvents());
        a.textTx(XsType.TRANSACTION_END, tx, "T");
        assertEquals(List.of("/t/x t"), w.drainEvents());
        int tx2 = a.startTx();
        a.writeTx(tx2, "/t/y", "1");
        a.textTx(XsType.TRANSACTION_END, tx2, "F");
        assertEquals(List.of(), w.drainEvents(), "no events from an aborted transaction");
    }

    @Test
    void badEndArgumentUnknownIdAndNesting() throws Exception {
        RawClient a = dom0();
        int tx = a.startTx();
        assertEquals("ERR:EINVAL", a.textTx(XsType.TRANSACTION_END, tx, "X"));
        assertEquals("ERR:ENOENT", a.textTx(XsType.READ, 4242, "/tool"));
        assertEquals("ERR:EBUSY", a.textTx(XsType.TRANSACTION_START, tx, ""));
        assertEquals("ERR:ENOENT", a.textTx(XsType.TRANSACTION_END, 0, "T"));
        RawClient b = dom0();
        assertEquals("ERR:ENOENT", b.textTx(XsType.READ, tx, "/tool"), "ids are per connection");
    }

    @Test
    void transactionsDieWithTheirConnection() throws Exception {
        RawClient a = dom0();
        int tx = a.startTx();
        a.writeTx(tx, "/gone", "1");
        a.close();
        RawClient b = dom0();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> server.connectionCount() == 1);
        assertEquals("ERR:ENOENT", b.read("/gone"));
    }
}
