package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsType;

/** C's quotas for unprivileged domains, with C's error names. */
class QuotaTest extends ServerFixture {

    private static final Quotas SMALL = new Quotas(5, 3, 2, 200, 3);

    @Test
    void nodesPerDomainIsEnospc() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        // the home /local/domain/1 is the first node domain 1 owns
        for (int i = 0; i < 4; i++) {
            assertEquals("OK", g.write("n" + i, "v"));
        }
        assertEquals("ERR:ENOSPC", g.write("n4", "v"));
        assertEquals("ERR:ENOSPC", g.write("a/b/c", "v"), "a create that would cross the quota writes nothing");
        assertEquals("ERR:ENOENT", g.read("a"));
        assertEquals("OK", g.text(XsType.RM, "n0"));
        assertEquals("OK", g.write("n4", "v"));
        assertEquals("OK", dom0().write("/dom0/is/exempt/from/quotas/x", "v"));
    }

    @Test
    void watchesPerConnectionIsE2big() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        // C checks "domain_watch(conn) > quota": quota + 1 watches fit
        for (int i = 0; i <= SMALL.watchesPerDomain(); i++) {
            assertEquals("OK", g.text(XsType.WATCH, "w" + i, "t"));
        }
        assertEquals("ERR:E2BIG", g.text(XsType.WATCH, "wx", "t"));
        assertEquals(SMALL.watchesPerDomain() + 1, server.watchCount());
    }

    @Test
    void openTransactionsIsEnospc() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        // C checks "transaction_started > quota": quota + 1 transactions fit
        for (int i = 0; i <= SMALL.transactions(); i++) {
            g.startTx();
        }
        assertEquals("ERR:ENOSPC", g.text(XsType.TRANSACTION_START, ""));
    }

    @Test
    void entrySizeIsEnospc() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        assertEquals("OK", g.write("small", "x".repeat(100)));
        assertEquals("ERR:ENOSPC", g.write("small", "x".repeat(200)));
        assertEquals("x".repeat(100), g.read("small"));
        assertEquals("OK", dom0().write("/big", "x".repeat(4000)), "dom0 is exempt");
    }

    @Test
    void permissionsPerNodeIsEnospc() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        g.write("p", "");
        assertEquals("OK", g.text(XsType.SET_PERMS, "p", "n1", "r2", "r3"));
        assertEquals("ERR:ENOSPC", g.text(XsType.SET_PERMS, "p", "n1", "r2", "r3", "r4"));
    }

    @Test
    void defaultEntryQuotaIsCs2048() throws Exception {
        RawClient g = guest(1);
        assertEquals("OK", g.write("v", "x".repeat(1900)));
        assertEquals("ERR:ENOSPC", g.write("v", "x".repeat(2048)));
    }

    @Test
    void commitRechecksTheNodeQuotaWithCsGreaterOrEqual() throws Exception {
        start(XenstoredConfig.DEFAULTS.withQuotas(SMALL));
        RawClient g = guest(1);
        int tx = g.startTx();
        for (int i = 0; i < 3; i++) {
            assertEquals("OK", g.writeTx(tx, "t" + i, "v"));
        }
        assertEquals("OK", g.textTx(XsType.TRANSACTION_END, tx, "T"), "4 of 5 nodes");
        int tx2 = g.startTx();
        assertEquals("OK", g.writeTx(tx2, "t3", "v"), "the 5th node fits inside the transaction");
        assertEquals("ERR:ENOSPC", g.textTx(XsType.TRANSACTION_END, tx2, "T"),
                "acc_fix_domains: a commit reaching the quota fails");
        assertEquals("ERR:ENOENT", g.read("t3"));
        assertEquals("OK", g.write("t3", "v"), "outside a transaction the 5th node is fine");
    }
}
