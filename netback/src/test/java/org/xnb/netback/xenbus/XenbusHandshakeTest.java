package org.xnb.netback.xenbus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.netback.VifFeatures;

/**
 * One vif's handshake against the real harness xenstored: the toolstack's nodes as libxl writes
 * them, a scripted netfront on the guest's own connection, the backend on a dom0 connection;
 * every step checked as xenstore contents and connector calls.
 */
class XenbusHandshakeTest {
    private static final int GUEST = 3;
    private static final VifId VIF = new VifId(GUEST, 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private XenbusRig rig;
    private VifNodes ts;
    private int baselineWatches;

    @BeforeEach
    void start() throws Exception {
        rig = new XenbusRig(dir);
        ts = rig.toolstack;
        rig.guest(GUEST);
        rig.startBackend();
        await().atMost(WAIT).until(() -> rig.server.watchCount() == 3);
        baselineWatches = rig.server.watchCount();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private String be(String key) {
        return ts.read(VifNodes.backend(GUEST, 0) + "/" + key);
    }

    private void awaitBackendState(XenbusState s) {
        await().atMost(WAIT).until(() -> String.valueOf(s.code()).equals(ts.backendState(GUEST, 0)));
    }

    private RecordingConnector.Connection connectLinux(ScriptedNetfront fe, boolean split) {
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, split));
        awaitBackendState(XenbusState.CONNECTED);
        assertEquals(1, rig.connector.of(VIF).size());
        return rig.connector.of(VIF).get(0);
    }

    @Test
    void probeWritesFeaturesHotplugStatusAndInitWaitQuickly() throws Exception {
        long t0 = System.nanoTime();
        ts.addVif(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "InitWait after " + ms + " ms; libxl gives up after 10 s");
        for (String[] kv : VifDevice.FEATURES) {
            assertEquals(kv[1], be(kv[0]), kv[0]);
        }
        assertEquals("1", be("feature-split-event-channels"));
        assertEquals("0", be("feature-rx-flip"));
        assertEquals("connected", be("hotplug-status"));
        assertEquals("1", be("multi-queue-max-queues"), "a single-queue data path advertises 1, as Linux does");
        assertNull(be("feature-ctrl-ring"), "the control ring is not offered without a connector serving it");
        // the guest can read what the backend wrote (inherited n0 r<guest>)
        assertEquals("1", rig.netfront(GUEST, 0).backendNode("feature-sg"));
        assertTrue(rig.connector.connections.isEmpty(), "no connect before the frontend publishes");
        assertEquals(Map.of(VIF, XenbusState.INIT_WAIT), rig.backend.deviceStates());
    }

    @Test
    void linux61FrontendWithSplitChannelsConnects() throws Exception {
        ts.addVif(GUEST, 0, Map.of("bridge", "xenbr0", "script", "/etc/xen/scripts/vif-bridge"));
        RecordingConnector.Connection c = connectLinux(rig.netfront(GUEST, 0), true);
        assertEquals(FrontendRings.split(8, 9, 11, 12), c.rings);
        assertEquals(new VifFeatures(true, true, true, true, true, true, false), c.features);
        assertEquals(GUEST, c.frontendDomid);
        assertEquals(AttachMode.FRESH, c.mode);
        assertEquals(new VifConfig(0, VifNodes.mac(GUEST, 0), "xenbr0", "/etc/xen/scripts/vif-bridge",
                RateLimit.UNLIMITED), c.config);
        assertTrue(c.thread.startsWith("xnb-xenbus-0-"), "connector called on the xenbus thread: " + c.thread);
        assertEquals(0, c.closes.get());
        assertNull(ts.read(VifNodes.errorNode(GUEST, 0)));
    }

    @Test
    void singleEventChannelAndFewerFeatures() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        Map<String, String> keys = ScriptedNetfront.linux61Keys(100, 200, 7, 7, false);
        keys.put("feature-sg", "0");
        keys.put("feature-gso-tcpv6", null);
        keys.put("feature-no-csum-offload", "1");
        keys.put("feature-ipv6-csum-offload", null);
        keys.put("request-multicast-control", "1");
        keys.put("multi-queue-num-queues", null);
        fe.publish(keys);
        fe.state(XenbusState.INITIALISED); // an older frontend: Initialised, not straight to Connected
        awaitBackendState(XenbusState.CONNECTED);
        RecordingConnector.Connection c = rig.connector.of(VIF).get(0);
        assertEquals(FrontendRings.shared(100, 200, 7), c.rings);
        assertFalse(c.rings.splitEventChannels());
        assertEquals(new VifFeatures(false, true, false, false, false, true, true), c.features);
        fe.state(XenbusState.CONNECTED);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> rig.connector.connections.size() == 1);
    }

    @Test
    void missingRequestRxCopyLeavesAnErrorNodeAndNoConnect() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        Map<String, String> keys = ScriptedNetfront.linux61Keys(8, 9, 11, 12, true);
        keys.remove("request-rx-copy");
        fe.connect(keys);
        awaitBackendState(XenbusState.CLOSING);
        String error = ts.read(VifNodes.errorNode(GUEST, 0));
        assertTrue(error.startsWith("95 ") && error.contains("request-rx-copy"), error);
        assertTrue(rig.connector.connections.isEmpty());
        // the guest closes; the device stays (online=1) in Closed, ready for another try
        fe.state(XenbusState.CLOSED);
        awaitBackendState(XenbusState.CLOSED);
        assertEquals(Map.of(VIF, XenbusState.CLOSED), rig.backend.deviceStates());
    }

    @Test
    void requestRxCopyZeroIsRefusedToo() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        Map<String, String> keys = ScriptedNetfront.linux61Keys(8, 9, 11, 12, true);
        keys.put("request-rx-copy", "0");
        fe.connect(keys);
        awaitBackendState(XenbusState.CLOSING);
        assertTrue(ts.read(VifNodes.errorNode(GUEST, 0)).startsWith("95 "));
        assertTrue(rig.connector.connections.isEmpty());
    }

    @Test
    void twoQueuesAreRefusedCleanly() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        Map<String, String> keys = new HashMap<>();
        // what a 2-vCPU Linux writes: per-queue keys, none at the top
        for (int q = 0; q < 2; q++) {
            keys.put("queue-" + q + "/tx-ring-ref", Integer.toString(8 + 2 * q));
            keys.put("queue-" + q + "/rx-ring-ref", Integer.toString(9 + 2 * q));
            keys.put("queue-" + q + "/event-channel-tx", Integer.toString(11 + 2 * q));
            keys.put("queue-" + q + "/event-channel-rx", Integer.toString(12 + 2 * q));
        }
        keys.put("request-rx-copy", "1");
        keys.put("feature-rx-notify", "1");
        keys.put("multi-queue-num-queues", "2");
        fe.connect(keys);
        awaitBackendState(XenbusState.CLOSING);
        assertEquals("22 guest requested 2 queues, exceeding the maximum of 1.", ts.read(VifNodes.errorNode(GUEST, 0)));
        assertTrue(rig.connector.connections.isEmpty(), "no half-built connection");
        assertEquals(0, rig.backend.connectedCount());
    }

    @Test
    void connectorFailureIsAnErrorNodeAndClosing() throws Exception {
        rig.connector.refuse = id -> true;
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        awaitBackendState(XenbusState.CLOSING);
        String error = ts.read(VifNodes.errorNode(GUEST, 0));
        assertTrue(error.startsWith("22 connecting the data path: grant map refused"), error);
        assertEquals(0, rig.backend.connectedCount());
    }

    @Test
    void aConnectorCallingBackIntoTheBackendFailsInsteadOfDeadlocking() throws Exception {
        rig.connector.refuse = id -> rig.backend.deviceStates().isEmpty();
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        awaitBackendState(XenbusState.CLOSING);
        assertTrue(ts.read(VifNodes.errorNode(GUEST, 0)).contains("called on the xenbus thread itself"));
        assertEquals(Map.of(VIF, XenbusState.CLOSING), rig.backend.deviceStates());
    }

    @Test
    void frontendClosingThenClosedTearsDownAndReconnectIsFresh() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        RecordingConnector.Connection first = connectLinux(fe, true);
        assertEquals(baselineWatches + 1, rig.server.watchCount(), "one frontend-state watch per device");

        fe.state(XenbusState.CLOSING);
        awaitBackendState(XenbusState.CLOSING);
        assertEquals(1, first.closes.get());
        fe.state(XenbusState.CLOSED);
        awaitBackendState(XenbusState.CLOSED);
        assertEquals(1, first.closes.get(), "closed exactly once");

        // netfront reloaded: Initialising -> the backend offers InitWait again
        fe.publish(Map.of("tx-ring-ref", "", "rx-ring-ref", ""));
        fe.state(XenbusState.INITIALISING);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linux61Keys(20, 21, 22, 23, true));
        awaitBackendState(XenbusState.CONNECTED);
        assertEquals(2, rig.connector.of(VIF).size());
        RecordingConnector.Connection second = rig.connector.of(VIF).get(1);
        assertEquals(FrontendRings.split(20, 21, 22, 23), second.rings);
        assertEquals(AttachMode.FRESH, second.mode);
        assertEquals(0, second.closes.get());
        assertEquals(1, first.closes.get());
    }

    @Test
    void frontendRestartingWhileConnectedGetsAFreshConnect() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        RecordingConnector.Connection first = connectLinux(fe, false);
        fe.state(XenbusState.INITIALISING); // a kexec'd guest: no Closing/Closed on the way
        awaitBackendState(XenbusState.INIT_WAIT);
        assertEquals(1, first.closes.get());
        fe.connect(ScriptedNetfront.linux61Keys(30, 31, 32, 32, false));
        awaitBackendState(XenbusState.CONNECTED);
        assertEquals(FrontendRings.shared(30, 31, 32), rig.connector.of(VIF).get(1).rings);
    }

    @Test
    void offlineTakesTheBackendThroughClosingToClosedAndLetsGo() throws Exception {
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        RecordingConnector.Connection c = connectLinux(fe, true);

        ts.setOffline(GUEST, 0); // libxl: online=0, state=5, then it waits for 6
        await().atMost(WAIT).until(() -> c.closes.get() == 1);
        assertEquals("5", ts.backendState(GUEST, 0));
        // the frontend sees Closing and closes, as Linux netfront does
        assertEquals("5", fe.backendNode("state"));
        fe.state(XenbusState.CLOSING);
        fe.state(XenbusState.CLOSED);
        awaitBackendState(XenbusState.CLOSED);
        await().atMost(WAIT).until(() -> rig.backend.deviceStates().isEmpty());
        assertEquals(java.util.Set.of(VIF), rig.backend.retiredDevices());
        assertEquals(baselineWatches, rig.server.watchCount(), "the device's watch is gone");
        assertEquals(1, c.closes.get());

        ts.removeVif(GUEST, 0);
        await().atMost(WAIT).until(() -> rig.backend.retiredDevices().isEmpty());
        assertEquals(1, rig.connector.connections.size(), "never probed again");
    }

    @Test
    void offlineWithAFrontendThatNeverStartedClosesAtOnce() throws Exception {
        ts.addVif(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        ts.setOffline(GUEST, 0); // frontend still Initialising (no driver in the guest)
        awaitBackendState(XenbusState.CLOSED);
        await().atMost(WAIT).until(() -> rig.server.watchCount() == baselineWatches);
        assertTrue(rig.backend.deviceStates().isEmpty());
    }

    @Test
    void removingTheNodesTearsDownWithoutRecreatingThem() throws Exception {
        ts.addVif(GUEST, 0);
        RecordingConnector.Connection c = connectLinux(rig.netfront(GUEST, 0), true);
        ts.removeVif(GUEST, 0);
        await().atMost(WAIT).until(() -> c.closes.get() == 1);
        await().atMost(WAIT).until(() -> rig.backend.deviceStates().isEmpty());
        assertEquals(baselineWatches, rig.server.watchCount());
        assertFalse(ts.dom0.exists(VifNodes.backend(GUEST, 0)), "no state node written into a removed device");
        assertTrue(rig.backend.retiredDevices().isEmpty());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> c.closes.get() == 1);
    }

    @Test
    void releasedDomainIsTornDownAndClosedWritten() throws Exception {
        ts.addVif(GUEST, 0);
        RecordingConnector.Connection c = connectLinux(rig.netfront(GUEST, 0), true);
        rig.server.releaseDomain(GUEST); // the guest died: @releaseDomain
        await().atMost(WAIT).until(() -> c.closes.get() == 1);
        awaitBackendState(XenbusState.CLOSED);
        await().atMost(WAIT).until(() -> rig.backend.deviceStates().isEmpty());
        assertEquals(baselineWatches, rig.server.watchCount());
        assertEquals(java.util.Set.of(VIF), rig.backend.retiredDevices());
        ts.removeVif(GUEST, 0); // the toolstack cleans up later
        await().atMost(WAIT).until(() -> rig.backend.retiredDevices().isEmpty());
        assertEquals(1, c.closes.get());
    }

    @Test
    void rateIsReadAtConnectAndFollowedLive() throws Exception {
        ts.addVif(GUEST, 0, Map.of("rate", "10000,20000"));
        RecordingConnector.Connection c = connectLinux(rig.netfront(GUEST, 0), true);
        assertEquals(new RateLimit(10000, 20000), c.config.rate());
        String rate = VifNodes.backend(GUEST, 0) + "/rate";

        ts.dom0.write(rate, "500,1000");
        await().atMost(WAIT).until(() -> c.rates.equals(java.util.List.of(new RateLimit(500, 1000))));
        ts.dom0.write(rate, "fast please"); // unparsable: warn, unlimited
        await().atMost(WAIT).until(() -> c.rates.size() == 2);
        assertEquals(RateLimit.UNLIMITED, c.rates.get(1));
        ts.dom0.rm(rate); // missing: unlimited, which it already is
        ts.dom0.write(rate, "1,2");
        await().atMost(WAIT).until(() -> c.rates.size() == 3);
        assertEquals(new RateLimit(1, 2), c.rates.get(2));
        assertEquals("CONNECTED", rig.backend.deviceStates().get(VIF).name());
    }

    private static int[][] queueRings(int n) {
        int[][] r = new int[n][];
        for (int q = 0; q < n; q++) {
            r[q] = new int[] {8 + 4 * q, 9 + 4 * q, 11 + 4 * q, 12 + 4 * q};
        }
        return r;
    }

    @Test
    void multiQueueAndControlRingAreAdvertisedAndRead() throws Exception {
        rig.connector.maxQueues = 4;
        rig.connector.controlRing = true;
        ts.addVif(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        assertEquals("4", be("multi-queue-max-queues"));
        assertEquals("1", be("feature-ctrl-ring"));
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        Map<String, String> keys = ScriptedNetfront.linuxMultiQueueKeys(queueRings(4), true);
        keys.put("ctrl-ring-ref", "40");
        keys.put("event-channel-ctrl", "41");
        fe.connect(keys);
        awaitBackendState(XenbusState.CONNECTED);
        FrontendOffer offer = rig.connector.of(VIF).get(0).offer;
        assertEquals(4, offer.queues().size());
        assertEquals(FrontendRings.split(20, 21, 23, 24), offer.queues().get(3));
        assertEquals(new FrontendCtrlRing(40, 41), offer.ctrl());
        assertNull(ts.read(VifNodes.errorNode(GUEST, 0)));
    }

    @Test
    void tooManyQueuesOrMixedKeysAreRefusedBeforeConnecting() throws Exception {
        rig.connector.maxQueues = 2;
        ts.addVif(GUEST, 0);
        ScriptedNetfront fe = rig.netfront(GUEST, 0);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linuxMultiQueueKeys(queueRings(3), true));
        awaitBackendState(XenbusState.CLOSING);
        assertEquals("22 guest requested 3 queues, exceeding the maximum of 2.", ts.read(VifNodes.errorNode(GUEST, 0)));
        assertTrue(rig.connector.connections.isEmpty(), "no half-built connection");
        // the guest closes, tries again with two queues but leaves a top-level ring key behind
        fe.state(XenbusState.CLOSED);
        awaitBackendState(XenbusState.CLOSED);
        Map<String, String> keys = ScriptedNetfront.linuxMultiQueueKeys(queueRings(2), true);
        keys.put("event-channel", "5");
        fe.publish(keys);
        fe.state(XenbusState.INITIALISING);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.state(XenbusState.CONNECTED);
        awaitBackendState(XenbusState.CLOSING);
        String error = ts.read(VifNodes.errorNode(GUEST, 0));
        assertTrue(error.startsWith("22 ") && error.contains("event-channel"), error);
        assertTrue(rig.connector.connections.isEmpty());
        // and a correct third try connects
        fe.state(XenbusState.CLOSED);
        awaitBackendState(XenbusState.CLOSED);
        keys.put("event-channel", null);
        fe.publish(keys);
        fe.state(XenbusState.INITIALISING);
        awaitBackendState(XenbusState.INIT_WAIT);
        fe.state(XenbusState.CONNECTED);
        awaitBackendState(XenbusState.CONNECTED);
        assertEquals(2, rig.connector.of(VIF).get(0).offer.queues().size());
    }
}
