package org.xnb.netback.xenbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xnb.netback.VifFeatures;

/** Linux's reading rules for the frontend's keys, one rule per test. */
class FrontendOfferTest {

    private static FrontendOffer read(Map<String, String> keys) throws XenbusFatalException {
        return FrontendOffer.read(keys::get);
    }

    private static Map<String, String> linux(boolean split) {
        return ScriptedNetfront.linux61Keys(8, 9, 11, 12, split);
    }

    private static XenbusFatalException refused(Map<String, String> keys) {
        return assertThrows(XenbusFatalException.class, () -> read(keys));
    }

    @Test
    void linux61SplitOffer() throws Exception {
        FrontendOffer o = read(linux(true));
        assertEquals(FrontendRings.split(8, 9, 11, 12), o.rings());
        assertEquals(new VifFeatures(true, true, true, true, true, true, false), o.features());
    }

    @Test
    void sharedChannelWhenNoSplitKeys() throws Exception {
        assertEquals(FrontendRings.shared(8, 9, 11), read(linux(false)).rings());
    }

    @Test
    void unsigned32BitRefsAndPortsKeepTheirBits() throws Exception {
        Map<String, String> k = linux(true);
        k.put("tx-ring-ref", "4294967295");
        FrontendOffer o = read(k);
        assertEquals(-1, o.rings().txRingRef());
        k.put("tx-ring-ref", "4294967296");
        assertEquals(XenbusFatalException.EINVAL, refused(k).errno());
    }

    @Test
    void missingRingOrChannelKeysAreEnoent() {
        for (String key : new String[] {"tx-ring-ref", "rx-ring-ref", "event-channel-rx"}) {
            Map<String, String> k = linux(true);
            k.remove(key);
            XenbusFatalException e = refused(k);
            assertEquals(XenbusFatalException.ENOENT, e.errno(), key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        Map<String, String> k = linux(false);
        k.remove("event-channel");
        assertEquals(XenbusFatalException.ENOENT, refused(k).errno());
    }

    @Test
    void rxCopyAbsentZeroOrGarbage() {
        Map<String, String> k = linux(true);
        k.remove("request-rx-copy");
        assertEquals(XenbusFatalException.EOPNOTSUPP, refused(k).errno());
        k.put("request-rx-copy", "0");
        assertEquals(XenbusFatalException.EOPNOTSUPP, refused(k).errno());
        k.put("request-rx-copy", "yes");
        assertEquals(XenbusFatalException.EINVAL, refused(k).errno());
    }

    @Test
    void rxNotifyIsMandatory() {
        Map<String, String> k = linux(true);
        k.remove("feature-rx-notify");
        assertEquals("22 feature-rx-notify is mandatory", refused(k).nodeValue());
    }

    @Test
    void queueCount() throws Exception {
        Map<String, String> k = linux(true);
        k.remove("multi-queue-num-queues");
        read(k); // absent = 1
        k.put("multi-queue-num-queues", "2");
        assertEquals("22 guest requested 2 queues, exceeding the maximum of 1.", refused(k).nodeValue());
        k.put("multi-queue-num-queues", "0");
        assertEquals(XenbusFatalException.EINVAL, refused(k).errno());
    }

    @Test
    void flagsDefaultOffAndGarbageReadsAsOff() throws Exception {
        Map<String, String> k = new java.util.HashMap<>(Map.of("tx-ring-ref", "1", "rx-ring-ref", "2",
                "event-channel", "3", "request-rx-copy", "1", "feature-rx-notify", "1"));
        assertEquals(new VifFeatures(false, false, false, true, false, true, false), read(k).features());
        k.put("feature-sg", "on");
        k.put("feature-no-csum-offload", "1");
        k.put("request-multicast-control", "1");
        assertEquals(new VifFeatures(false, false, false, false, false, true, true), read(k).features());
    }

    private static int[][] rings(int n) {
        int[][] r = new int[n][];
        for (int q = 0; q < n; q++) {
            r[q] = new int[] {10 + 4 * q, 11 + 4 * q, 12 + 4 * q, 13 + 4 * q};
        }
        return r;
    }

    @Test
    void multiQueueReadsEveryQueueDirectory() throws Exception {
        for (boolean split : new boolean[] {true, false}) {
            FrontendOffer o = FrontendOffer.read(ScriptedNetfront.linuxMultiQueueKeys(rings(4), split)::get, 4, false);
            assertEquals(4, o.queues().size());
            for (int q = 0; q < 4; q++) {
                FrontendRings expected = split ? FrontendRings.split(10 + 4 * q, 11 + 4 * q, 12 + 4 * q, 13 + 4 * q)
                        : FrontendRings.shared(10 + 4 * q, 11 + 4 * q, 12 + 4 * q);
                assertEquals(expected, o.queues().get(q), "queue " + q);
            }
            assertEquals(o.queues().get(0), o.rings());
            assertEquals(null, o.ctrl());
        }
    }

    @Test
    void moreQueuesThanAdvertisedOrZeroAreRefused() {
        Map<String, String> k = ScriptedNetfront.linuxMultiQueueKeys(rings(4), true);
        assertEquals("22 guest requested 4 queues, exceeding the maximum of 2.",
                assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 2, false)).nodeValue());
        k.put("multi-queue-num-queues", "0");
        assertEquals("22 guest requested 0 queues.",
                assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 8, false)).nodeValue());
    }

    @Test
    void mixedTopLevelAndPerQueueKeysAreRefused() {
        Map<String, String> k = ScriptedNetfront.linuxMultiQueueKeys(rings(2), true);
        k.put("tx-ring-ref", "99");
        XenbusFatalException e = assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 4, false));
        assertEquals(XenbusFatalException.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("tx-ring-ref") && e.getMessage().contains("queue-N/"), e.getMessage());
        // one queue announced, but its keys under queue-0/
        Map<String, String> one = ScriptedNetfront.linuxMultiQueueKeys(rings(2), true);
        one.put("multi-queue-num-queues", "1");
        e = assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(one::get, 4, false));
        assertTrue(e.getMessage().contains("queue-0/tx-ring-ref"), e.getMessage());
    }

    @Test
    void aMissingPerQueueKeyNamesItsQueue() {
        Map<String, String> k = ScriptedNetfront.linuxMultiQueueKeys(rings(3), true);
        k.remove("queue-2/event-channel-rx");
        XenbusFatalException e = assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 4, false));
        assertEquals("2 reading queue-2/event-channel-rx: missing", e.nodeValue());
    }

    @Test
    void controlRingOnlyWhenOfferedAndWithItsPort() throws Exception {
        Map<String, String> k = linux(true);
        k.put("ctrl-ring-ref", "77");
        k.put("event-channel-ctrl", "78");
        assertEquals(null, FrontendOffer.read(k::get, 1, false).ctrl(), "not advertised: ignored");
        assertEquals(new FrontendCtrlRing(77, 78), FrontendOffer.read(k::get, 1, true).ctrl());
        k.remove("event-channel-ctrl");
        assertEquals("2 reading event-channel-ctrl: missing",
                assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 1, true)).nodeValue());
        k.put("ctrl-ring-ref", "x");
        assertEquals(XenbusFatalException.EINVAL,
                assertThrows(XenbusFatalException.class, () -> FrontendOffer.read(k::get, 1, true)).errno());
    }
}
