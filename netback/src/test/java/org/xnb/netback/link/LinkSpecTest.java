package org.xnb.netback.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkSpecTest {

    @Test
    void anEtherstubIsJustItsName() {
        assertEquals(new LinkSpec("lan1", LinkSpec.Kind.ETHERSTUB, null, null, null, null), LinkSpec.parse("lan1=etherstub"));
    }

    @Test
    void aTapLinkWithEveryOptionInAnyOrder() {
        LinkSpec s = LinkSpec.parse("xenbr0=tap,address=198.18.0.1/24,netns=xnb-dom0,ifname=xnbu0");
        assertEquals(new LinkSpec("xenbr0", LinkSpec.Kind.TAP, "xnbu0", "xnb-dom0", "198.18.0.1/24", null), s);
        assertEquals("xenbr0=tap,ifname=xnbu0,netns=xnb-dom0,address=198.18.0.1/24", s.toString());
        assertEquals(s, LinkSpec.parse(s.toString()), "toString parses back");
    }

    @Test
    void aTapLinkWithoutIfnameGetsOneDerivedFromItsNameWithinFifteenCharacters() {
        assertEquals("xnb-xenbr0", LinkSpec.parse("xenbr0=tap").ifname());
        assertEquals("xnb-a-very-long", LinkSpec.parse("a-very-long-link-name=tap").ifname());
        assertEquals("xnb-a-b", LinkSpec.parse("a:b=tap").ifname(), "':' is not allowed in an interface name");
    }

    @Test
    void aTapOnABridgeIsNamedAfterTheBridge() {
        LinkSpec s = LinkSpec.tapOnBridge("xenbr0");
        assertEquals("xnbu-xenbr0", s.ifname());
        assertEquals("xenbr0", s.bridge());
        assertEquals("xnbu-verylongbr", LinkSpec.tapOnBridge("verylongbridge1").ifname());
        assertEquals(LinkSpec.parse("lan=tap,bridge=br0").bridge(), "br0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "xenbr0|'xenbr0' is not a link: expected NAME=etherstub or NAME=tap",
        "=tap|'=tap' is not a link",
        "x=vde|link 'x': unknown kind 'vde' (allowed: etherstub, tap)",
        "x=etherstub,ifname=a|link 'x': an etherstub takes no options, got 'ifname=a'",
        "x=tap,mtu=9000|link 'x': unknown option 'mtu' (allowed: ifname, netns, address, bridge)",
        "x=tap,netns|link 'x': option 'netns' is not key=value",
        "x=tap,netns=|link 'x': option 'netns' has no value",
        "x=tap,netns=a,netns=b|link 'x': option 'netns' given twice",
        "x=tap,ifname=abcdefghijklmnop|bad ifname 'abcdefghijklmnop' (allowed: 1-15 of",
        "x=tap,ifname=a/b|bad ifname 'a/b'",
        "x=tap,netns=a b|bad netns 'a b'",
        "x=tap,address=198.18.0.1|link 'x': address '198.18.0.1' is not an address in CIDR notation",
        "x=tap,bridge=br0,address=198.18.0.1/24|bridge= cannot be combined with netns= or address=",
        "a b=etherstub|bad link name 'a b' (allowed: 1-64 of",
    })
    void badSpecsSayWhatWasWrongAndWhatIsAllowed(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse(text));
        assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message),
                "for " + text + ": " + e.getMessage());
    }
}
