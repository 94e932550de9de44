package org.xnb.netback.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.netback.port.Port;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifId;

/** Choosing a vif's link by its bridge key, without TAP devices (those are in tools' DaemonIT). */
class LinksTest {
    private static VifConfig bridge(String b) {
        return new VifConfig(0, "00:16:3e:00:00:01", b, null, RateLimit.UNLIMITED);
    }

    @Test
    void aVifWithoutABridgeKeyJoinsXenbr0AndVifsNamingOneLinkShareItsSwitch() {
        try (Links links = Links.open(List.of(), HostBridges.NONE)) {
            Port none = links.portFor(new VifId(5, 0), bridge(null));
            Port empty = links.portFor(new VifId(6, 0), bridge(""));
            Port xenbr0 = links.portFor(new VifId(7, 0), bridge("xenbr0"));
            Port lan = links.portFor(new VifId(8, 0), bridge("lan1"));
            assertSame(none, empty);
            assertSame(none, xenbr0);
            assertNotSame(none, lan);
            assertEquals(LinkSpec.etherstub("xenbr0"), links.links().get("xenbr0").spec());
            assertEquals(LinkSpec.etherstub("lan1"), links.links().get("lan1").spec());
            assertNull(links.links().get("xenbr0").uplink(), "an etherstub has no uplink");
        }
    }

    @Test
    void aDeclaredLinkIsUsedAsDeclaredAndNotReplacedByABridgeOfTheSameName() {
        try (Links links = Links.open(List.of(LinkSpec.etherstub("xenbr0")), name -> {
            throw new AssertionError("a declared link must not be looked up as a bridge");
        })) {
            Port p = links.portFor(new VifId(5, 0), bridge("xenbr0"));
            assertSame(links.links().get("xenbr0").port(), p);
        }
    }

    @Test
    void linksAreBoundedAVifNamingOneMoreIsRefused() {
        try (Links links = Links.open(List.of(), HostBridges.NONE)) {
            for (int i = 0; i < Links.MAX_LINKS; i++) {
                links.portFor(new VifId(5, i), bridge("l" + i));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> links.portFor(new VifId(6, 0), bridge("one-more")));
            assertEquals("link 'one-more': already " + Links.MAX_LINKS + " links", e.getMessage());
            links.portFor(new VifId(6, 1), bridge("l0")); // an existing one is still fine
        }
    }

    @Test
    void declaringALinkTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Links.open(List.of(LinkSpec.etherstub("a"), LinkSpec.etherstub("a")), HostBridges.NONE));
        assertEquals("link 'a' declared twice", e.getMessage());
    }

    @Test
    void aBridgeKeyThatCannotNameALinkRefusesTheVifAndClosedLinksRefuseEveryVif() {
        Links links = Links.open(List.of(), HostBridges.NONE);
        assertThrows(IllegalArgumentException.class, () -> links.portFor(new VifId(5, 0), bridge("no spaces")));
        links.close();
        assertThrows(IllegalStateException.class, () -> links.portFor(new VifId(5, 0), bridge("xenbr0")));
        assertEquals(0, links.links().size());
    }
}
