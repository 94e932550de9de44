package org.xnb.netback.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifId;

/** create-etherstub / delete-etherstub on {@link Links}, and vifs joining an etherstub made by command. */
class LinksEtherstubTest {
    private static VifConfig bridge(String b) {
        return new VifConfig(0, "00:16:3e:00:00:01", b, null, RateLimit.UNLIMITED);
    }

    @Test
    void aVifNamingACreatedEtherstubJoinsIt() {
        try (Links links = Links.open(List.of(), name -> true)) { // every name is a Linux bridge here...
            assertTrue(links.createEtherstub("stub0"));
            Port p = links.portFor(new VifId(5, 0), bridge("stub0"));
            assertSame(links.links().get("stub0").port(), p, "...but the etherstub comes first");
            assertEquals(LinkSpec.Kind.ETHERSTUB, links.links().get("stub0").spec().kind());
        }
    }

    @Test
    void anEtherstubAVifMadeIsTakenOverOtherLinksAreRefused() {
        try (Links links = Links.open(List.of(LinkSpec.etherstub("decl0")), HostBridges.NONE)) {
            Port made = links.portFor(new VifId(5, 0), bridge("lan1"));
            assertFalse(links.createEtherstub("lan1"), "the vif's etherstub, as it is");
            assertSame(made, links.links().get("lan1").port());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> links.createEtherstub("decl0"));
            assertTrue(e.getMessage().startsWith("link 'decl0' already exists (declared with --link"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> links.deleteEtherstub("decl0"));
            assertTrue(e.getMessage().contains("declared with --link on the daemon's command line"), e.getMessage());
        }
    }

    @Test
    void deletingIsRefusedWhileAnythingIsOnIt() {
        try (Links links = Links.open(List.of(), HostBridges.NONE)) {
            links.createEtherstub("stub0");
            PortLink member = links.link("stub0").port().attach("vif5.0", 0x00163e000001L, (a, l, m) -> {
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> links.deleteEtherstub("stub0"));
            assertEquals("etherstub 'stub0' is in use: 1 VNIC(s) or vif(s) are on it; delete or detach them first",
                    e.getMessage());
            member.close();
            links.deleteEtherstub("stub0");
            assertFalse(links.links().containsKey("stub0"));
            e = assertThrows(IllegalArgumentException.class, () -> links.deleteEtherstub("stub0"));
            assertEquals("no etherstub 'stub0'", e.getMessage());
        }
    }
}
