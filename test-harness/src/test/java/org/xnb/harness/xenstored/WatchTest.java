package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsType;

/** When and to whom watch events go (C's do_watch, fire_watches, watch_permitted). */
class WatchTest extends ServerFixture {

    @Test
    void newWatchFiresOnceAfterItsAck() throws Exception {
        RawClient c = dom0();
        c.send(new XsMessage(XsType.WATCH, 9, 0, XsMessage.nulJoined("/w", "tok")));
        XsMessage ack = c.nextReply();
        assertEquals(XsType.WATCH, ack.type());
        assertEquals("OK", ack.payloadString());
        assertEquals("/w tok", c.nextEvent());
        assertEquals(List.of(), c.drainEvents(), "exactly once");
    }

    @Test
    void firesForNodeAndDescendantsNotForSiblingsOrAncestors() throws Exception {
        RawClient w = dom0();
        RawClient c = dom0();
        w.text(XsType.WATCH, "/a/b", "t");
        w.drainEvents();
        c.write("/a/b", "1");
        c.write("/a/b/c/d", "2");
        c.write("/a/bb", "3");
        c.write("/a", "4");
        assertEquals(List.of("/a/b t", "/a/b/c/d t"), w.drainEvents());
    }

    @Test
    void writerSeesItsOwnEventBeforeTheAck() throws Exception {
        RawClient c = dom0();
        c.text(XsType.WATCH, "/x", "t");
        c.drainEvents();
        assertEquals("OK", c.write("/x", "1"));
        assertEquals(List.of("/x t"), c.drainEvents());
    }

    @Test
    void rmFiresForRootAndForWatchesBelowWithTheirOwnPath() throws Exception {
        RawClient c = dom0();
        c.write("/r/a/b", "1");
        c.write("/r/c", "2");
        RawClient w = dom0();
        w.text(XsType.WATCH, "/r", "top");
        w.text(XsType.WATCH, "/r/a/b", "deep");
        w.text(XsType.WATCH, "/r/a/missing", "nothing");
        w.text(XsType.WATCH, "/elsewhere", "other");
        w.drainEvents();
        c.text(XsType.RM, "/r");
        List<String> ev = w.drainEvents();
        assertEquals(2, ev.size(), ev.toString());
        assertTrue(ev.contains("/r top"));
        assertTrue(ev.contains("/r/a/b deep"));
    }

    @Test
    void mkdirOfExistingNodeFiresNothing() throws Exception {
        RawClient c = dom0();
        c.write("/m", "");
        c.text(XsType.WATCH, "/m", "t");
        c.drainEvents();
        c.text(XsType.MKDIR, "/m");
        assertEquals(List.of(), c.drainEvents());
        c.text(XsType.MKDIR, "/m/n");
        assertEquals(List.of("/m/n t"), c.drainEvents());
    }

    @Test
    void onlyConnectionsThatMayReadTheNodeHearOfIt() throws Exception {
        RawClient g1 = guest(1);
        RawClient g2 = guest(2);
        g2.text(XsType.WATCH, "/local/domain/1", "spy");
        assertEquals(List.of("/local/domain/1 spy"), g2.drainEvents(), "the initial event is always sent");
        g1.write("private", "x");
        g1.sync();
        assertEquals(List.of(), g2.drainEvents());
        RawClient d = dom0();
        d.text(XsType.WATCH, "/local/domain/1", "dom0");
        d.drainEvents();
        g1.write("private", "y");
        g1.sync();
        assertEquals(List.of("/local/domain/1/private dom0"), d.drainEvents());
    }

    @Test
    void watcherLosingAccessStillHearsOfThePermissionChange() throws Exception {
        RawClient d = dom0();
        d.write("/n", "v");
        d.text(XsType.SET_PERMS, "/n", "n0", "r3");
        RawClient g = guest(3);
        g.text(XsType.WATCH, "/n", "t");
        g.drainEvents();
        d.text(XsType.SET_PERMS, "/n", "n0");
        assertEquals(List.of("/n t"), g.drainEvents());
    }

    @Test
    void relativeWatchGetsRelativeEventPaths() throws Exception {
        RawClient g = guest(4);
        g.text(XsType.WATCH, "device", "rel");
        assertEquals(List.of("device rel"), g.drainEvents());
        g.write("device/vif/0", "x");
        assertEquals(List.of("device/vif/0 rel"), g.drainEvents());
        g.text(XsType.WATCH, "/local/domain/4/device", "abs");
        g.drainEvents();
        dom0().write("/local/domain/4/device/x", "1");
        List<String> ev = g.drainEvents();
        assertTrue(ev.contains("device/x rel"), ev.toString());
        assertTrue(ev.contains("/local/domain/4/device/x abs"), ev.toString());
    }

    @Test
    void duplicateWatchIsEexistAndUnwatchStopsEvents() throws Exception {
        RawClient c = dom0();
        assertEquals("OK", c.text(XsType.WATCH, "/u", "t"));
        assertEquals("ERR:EEXIST", c.text(XsType.WATCH, "/u", "t"));
        assertEquals("OK", c.text(XsType.WATCH, "/u", "t2"), "another token is another watch");
        c.drainEvents();
        assertEquals("OK", c.text(XsType.UNWATCH, "/u", "t"));
        assertEquals("ERR:ENOENT", c.text(XsType.UNWATCH, "/u", "t"));
        c.write("/u", "1");
        assertEquals(List.of("/u t2"), c.drainEvents());
    }

    @Test
    void resetWatchesRemovesAllWatchesAndTransactions() throws Exception {
        RawClient c = dom0();
        c.text(XsType.WATCH, "/a", "1");
        c.text(XsType.WATCH, "/b", "2");
        int tx = c.startTx();
        c.drainEvents();
        assertEquals("OK", c.text(XsType.RESET_WATCHES));
        c.write("/a", "x");
        assertEquals(List.of(), c.drainEvents());
        assertEquals("ERR:ENOENT", c.textTx(XsType.READ, tx, "/a"), "transaction gone");
        assertEquals(0, server.watchCount());
    }

    @Test
    void introduceAndReleaseFireSpecialWatchesForDom0Only() throws Exception {
        RawClient d = dom0();
        d.text(XsType.WATCH, "@introduceDomain", "in");
        d.text(XsType.WATCH, "@releaseDomain", "out");
        assertEquals(List.of("@introduceDomain in", "@releaseDomain out"), d.drainEvents());
        RawClient g = guest(1);
        g.text(XsType.WATCH, "@introduceDomain", "g");
        g.drainEvents();
        assertEquals(List.of("@introduceDomain in"), d.drainEvents(), "domain 1's introduction");
        server.introduceDomain(2);
        assertEquals(List.of("@introduceDomain in"), d.drainEvents());
        assertEquals(List.of(), g.drainEvents());
        server.releaseDomain(2);
        assertEquals(List.of("@releaseDomain out"), d.drainEvents());
    }

    @Test
    void watchOnHomeFiresWhenDom0IntroducesTheDomain() throws Exception {
        RawClient d = dom0();
        d.text(XsType.WATCH, "/local/domain", "t");
        d.drainEvents();
        server.introduceDomain(9);
        assertEquals(List.of("/local/domain/9 t"), d.drainEvents());
    }
}
