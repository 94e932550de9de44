package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Permission lists survive printing and parsing in every form the wire and the tools use. */
class XsPermissionsPropertyTest {

    private static Gen<List<XsPermission>> permissionLists() {
        Gen<XsPermission> one = integers().between(0, 0xffff)
                .zip(arbitrary().enumValues(XsPermission.Access.class), XsPermission::new);
        return lists().of(one).ofSizeBetween(1, 12);
    }

    @Test
    void spaceFormRoundTrips() {
        qt().forAll(permissionLists()).checkAssert(entries -> {
            XsPermissions p = XsPermissions.of(entries);
            assertEquals(p, XsPermissions.parse(p.toString()));
        });
    }

    @Test
    void wireFormRoundTripsThroughAGetPermsReply() {
        qt().forAll(permissionLists()).checkAssert(entries -> {
            XsPermissions p = XsPermissions.of(entries);
            XsMessage reply = XsMessage.ofStrings(XsType.GET_PERMS, 1, 0, p.toStrings());
            assertEquals(p, XsPermissions.fromStrings(reply.payloadStrings(false)));
            assertEquals(String.join(",", p.toStrings()), p.toCommaString());
        });
    }

    @Test
    void printsLikeXenstore() {
        XsPermissions p = XsPermissions.parse("w0 r5 b5 n0");
        assertEquals("w0 r5 b5 n0", p.toString());
        assertEquals("w0,r5,b5,n0", p.toCommaString());
        assertEquals(0, p.owner());
        assertEquals(XsPermission.Access.READ, p.accessFor(5), "the first entry for a domain wins, as in xenstored");
        assertEquals(XsPermission.Access.WRITE, p.accessFor(9), "unlisted domains get the owner entry's letter");
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse(""));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("x5"));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("r"));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("r70000"));
    }
}
