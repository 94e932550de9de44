package org.xnb.vnic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestNamesTest {
    @Test
    void namesCarryOurPidAndMatchTheSweepPatterns() {
        String ns = TestNames.namespace("tapit");
        assertTrue(TestNames.NAMESPACE.matcher(ns).matches(), ns);
        assertTrue(ns.startsWith("xnb-tapit-" + TestNames.pid() + "-"), ns);
        assertEquals(TestNames.pid(), TestNames.creatorPid(ns));
        String iface = TestNames.iface();
        assertTrue(TestNames.INTERFACE.matcher(iface).matches(), iface);
        assertTrue(iface.length() <= 15, iface);
        assertEquals(TestNames.pid(), TestNames.creatorPid(iface));
        assertNotEquals(TestNames.namespace("tapit"), TestNames.namespace("tapit"));
    }

    @Test
    void foreignNamesHaveNoCreator() {
        assertEquals(-1, TestNames.creatorPid("xnb-other"));
        assertEquals(-1, TestNames.creatorPid("xnb-Tap-1-1"));
        assertEquals(-1, TestNames.creatorPid("docker0"));
        assertEquals(-1, TestNames.creatorPid("xnb-a-1-1-extra"));
        assertEquals(4242, TestNames.creatorPid("xnb-a-4242-1"));
        assertEquals(77, TestNames.creatorPid("xt77x3"));
    }

    @Test
    void tagsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> TestNames.namespace("Bad"));
        assertThrows(IllegalArgumentException.class, () -> TestNames.namespace("a-b"));
        assertThrows(IllegalArgumentException.class, () -> TestNames.namespace(""));
    }
}
