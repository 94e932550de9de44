package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Permission lists survive printing and parsing in every form the wire and the tools use. */
class XsPermissionsPropertyTest {

    @Provide
    Arbitrary<XsPermission> permission() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xffff),
                Arbitraries.of(XsPermission.Access.values())).as(XsPermission::new);
    }

    @Property
    void spaceFormRoundTrips(@ForAll @Size(min = 1, max = 12) List<@net.jqwik.api.From("permission") XsPermission> entries) {
        XsPermissions p = XsPermissions.of(entries);
        assertEquals(p, XsPermissions.parse(p.toString()));
    }

    @Property
    void wireFormRoundTripsThroughAGetPermsReply(
            @ForAll @Size(min = 1, max = 12) List<@net.jqwik.api.From("permission") XsPermission> entries) {
        XsPermissions p = XsPermissions.of(entries);
        XsMessage reply = XsMessage.ofStrings(XsType.GET_PERMS, 1, 0, p.toStrings());
        assertEquals(p, XsPermissions.fromStrings(reply.payloadStrings(false)));
        assertEquals(String.join(",", p.toStrings()), p.toCommaString());
    }

    @Example
    void printsLikeXenstore() {
        XsPermissions p = XsPermissions.parse("w0 r5 b5 n0");
        assertEquals("w0 r5 b5 n0", p.toString());
        assertEquals("w0,r5,b5,n0", p.toCommaString());
        assertEquals(0, p.owner());
        assertEquals(XsPermission.Access.READ, p.accessFor(5), "the first entry for a domain wins, as in xenstored");
        assertEquals(XsPermission.Access.WRITE, p.accessFor(9), "unlisted domains get the owner entry's letter");
    }

    @Example
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse(""));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("x5"));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("r"));
        assertThrows(IllegalArgumentException.class, () -> XsPermissions.parse("r70000"));
    }
}
