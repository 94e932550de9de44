package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xnb.xenstore.XsType;

/** C's perm_for_conn, errno_from_parents and ownership rules, seen from guest sockets. */
class PermissionsTest extends ServerFixture {

    @Test
    void guestGetsEaccesOnAnotherGuestsNode() throws Exception {
        RawClient g1 = guest(1);
        RawClient g2 = guest(2);
        assertEquals("OK", g1.write("secret", "s"));
        assertEquals("ERR:EACCES", g2.read("/local/domain/1/secret"));
        assertEquals("ERR:EACCES", g2.write("/local/domain/1/secret", "x"));
        assertEquals("ERR:EACCES", g2.text(XsType.RM, "/local/domain/1/secret"));
        assertEquals("s", g1.read("secret"), "tree unchanged");
    }

    @Test
    void missingNodeIsEnoentOnlyWhereTheParentIsReadable() throws Exception {
        RawClient g = guest(1);
        guest(2);
        assertEquals("ERR:ENOENT", g.read("nothing-here"), "own home: ENOENT");
        assertEquals("ERR:EACCES", g.read("/local/domain/2/nothing-here"),
                "foreign home: EACCES hides whether the node exists");
        assertEquals("ERR:EACCES", g.read("/no/such/tree"), "nearest ancestor / is n0");
    }

    @Test
    void relativePathsResolveToHome() throws Exception {
        RawClient g = guest(5);
        assertEquals("OK", g.write("device/vif/0/state", "1"));
        RawClient d = dom0();
        assertEquals("1", d.read("/local/domain/5/device/vif/0/state"));
        assertEquals("1", g.read("/local/domain/5/device/vif/0/state"));
    }

    @Test
    void nodesCreatedByGuestAreOwnedByItAndInheritTheRest() throws Exception {
        RawClient d = dom0();
        guest(6);
        assertEquals("OK", d.text(XsType.SET_PERMS, "/local/domain/6", "n6", "r0", "b9"));
        RawClient g = guest(6);
        assertEquals("OK", g.write("a/b", "v"));
        assertEquals("n6\u0000r0\u0000b9", d.text(XsType.GET_PERMS, "/local/domain/6/a/b"));
        assertEquals("OK", d.write("/local/domain/6/fromdom0", "v"));
        assertEquals("n6\u0000r0\u0000b9", d.text(XsType.GET_PERMS, "/local/domain/6/fromdom0"),
                "dom0 creates with the parent's permissions unchanged");
    }

    @Test
    void grantedReadAndWriteAreHonoured() throws Exception {
        RawClient d = dom0();
        d.write("/shared/ro", "r");
        d.write("/shared/rw", "w");
        d.text(XsType.SET_PERMS, "/shared", "r0");
        d.text(XsType.SET_PERMS, "/shared/ro", "n0", "r3");
        d.text(XsType.SET_PERMS, "/shared/rw", "n0", "b3");
        RawClient g = guest(3);
        assertEquals("r", g.read("/shared/ro"));
        assertEquals("ERR:EACCES", g.write("/shared/ro", "x"));
        assertEquals("OK", g.write("/shared/rw", "x"));
        assertEquals("x", d.read("/shared/rw"));
        RawClient other = guest(4);
        assertEquals("ERR:EACCES", other.read("/shared/ro"));
        assertEquals("ERR:ENOENT", other.read("/shared/missing"), "/shared is readable by default");
    }

    @Test
    void unprivilegedMayNotChangeOwner() throws Exception {
        RawClient g = guest(1);
        g.write("mine", "v");
        assertEquals("ERR:EPERM", g.text(XsType.SET_PERMS, "mine", "n2"));
        assertEquals("OK", g.text(XsType.SET_PERMS, "mine", "n1", "r2"));
        assertEquals("n1\u0000r2", g.text(XsType.GET_PERMS, "mine"));
        RawClient g2 = guest(2);
        assertEquals("v", g2.read("/local/domain/1/mine"));
        assertEquals("ERR:EACCES", g2.text(XsType.SET_PERMS, "/local/domain/1/mine", "n1", "b2"),
                "read access is not ownership");
    }

    @Test
    void dom0ReadsEverythingAndMayGiveNodesAway() throws Exception {
        RawClient g = guest(1);
        g.write("x", "1");
        RawClient d = dom0();
        assertEquals("1", d.read("/local/domain/1/x"));
        assertEquals("OK", d.text(XsType.SET_PERMS, "/local/domain/1/x", "n2"));
        assertEquals("ERR:EACCES", g.read("x"), "domain 1 lost it");
    }

    @Test
    void specialWatchPathsRequireOwnershipToChange() throws Exception {
        RawClient g = guest(1);
        assertEquals("ERR:EACCES", g.text(XsType.SET_PERMS, "@releaseDomain", "r1"));
        assertEquals("OK", dom0().text(XsType.SET_PERMS, "@releaseDomain", "n0", "r1"));
        assertEquals("ERR:ENOENT", dom0().text(XsType.SET_PERMS, "@other", "n0"));
    }
}
