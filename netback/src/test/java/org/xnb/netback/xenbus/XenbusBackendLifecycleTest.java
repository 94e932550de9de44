package org.xnb.netback.xenbus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.xenstore.XsWatch;

/** Several devices and guests, misbehaving neighbours, backend restarts, dead guests. */
class XenbusBackendLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private XenbusRig rig;
    private VifNodes ts;

    @BeforeEach
    void start() throws Exception {
        rig = new XenbusRig(dir);
        ts = rig.toolstack;
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private void awaitState(int guest, int devid, XenbusState s) {
        await().atMost(WAIT).until(() -> String.valueOf(s.code()).equals(ts.backendState(guest, devid)));
    }

    @Test
    void aMisbehavingGuestDoesNotDisturbAnother() throws Exception {
        rig.startBackend();
        ScriptedNetfront bad = rig.netfront(4, 0);
        ScriptedNetfront good = rig.netfront(5, 0);
        ts.addVif(4, 0);
        ts.addVif(5, 0);
        awaitState(4, 0, XenbusState.INIT_WAIT);
        awaitState(5, 0, XenbusState.INIT_WAIT);

        Map<String, String> badKeys = ScriptedNetfront.linux61Keys(1, 2, 3, 4, true);
        badKeys.put("tx-ring-ref", "not-a-ref");
        bad.connect(badKeys);
        good.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));

        awaitState(4, 0, XenbusState.CLOSING);
        awaitState(5, 0, XenbusState.CONNECTED);
        assertTrue(ts.read(VifNodes.errorNode(4, 0)).startsWith("22 reading tx-ring-ref"));
        assertEquals(null, ts.read(VifNodes.errorNode(5, 0)));
        assertEquals(List.of(new VifId(5, 0)), rig.connector.connections.stream().map(c -> c.id).toList());

        // the bad guest keeps misbehaving (garbage states, removes its own nodes); the good one stays up
        bad.guest.write("device/vif/0/state", "banana");
        bad.state(XenbusState.CONNECTED);
        bad.guest.rm("device/vif/0");
        await().atMost(WAIT).until(() -> !rig.backend.deviceStates().containsKey(new VifId(4, 0)));
        assertEquals(Map.of(new VifId(5, 0), XenbusState.CONNECTED), rig.backend.deviceStates());
        assertEquals(0, rig.connector.of(new VifId(5, 0)).get(0).closes.get());
    }

    @Test
    void severalDevicesOfOneGuestAreIndependent() throws Exception {
        rig.startBackend();
        ts.addVif(6, 0);
        ts.addVif(6, 1);
        ScriptedNetfront a = rig.netfront(6, 0);
        ScriptedNetfront b = rig.netfront(6, 1);
        awaitState(6, 0, XenbusState.INIT_WAIT);
        awaitState(6, 1, XenbusState.INIT_WAIT);
        a.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        b.connect(ScriptedNetfront.linux61Keys(18, 19, 21, 21, false));
        awaitState(6, 0, XenbusState.CONNECTED);
        awaitState(6, 1, XenbusState.CONNECTED);
        assertEquals(FrontendRings.shared(18, 19, 21), rig.connector.of(new VifId(6, 1)).get(0).rings);
        assertEquals(VifNodes.mac(6, 1), rig.connector.of(new VifId(6, 1)).get(0).config.mac());
        b.state(XenbusState.CLOSED);
        awaitState(6, 1, XenbusState.CLOSED);
        assertEquals(0, rig.connector.of(new VifId(6, 0)).get(0).closes.get());
        assertEquals(1, rig.connector.of(new VifId(6, 1)).get(0).closes.get());
    }

    @Test
    void restartPicksUpExistingDevicesAndReattachesConnectedOnes() throws Exception {
        ts.addVif(7, 0);
        ts.addVif(8, 0);
        ScriptedNetfront live = rig.netfront(7, 0);
        rig.netfront(8, 0);
        rig.startBackend();
        awaitState(7, 0, XenbusState.INIT_WAIT);
        live.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        awaitState(7, 0, XenbusState.CONNECTED);
        RecordingConnector.Connection before = rig.connector.of(new VifId(7, 0)).get(0);

        rig.stopBackend(); // daemon stops: data path closed, xenstore untouched
        assertEquals(1, before.closes.get());
        assertEquals("4", ts.backendState(7, 0));
        assertEquals("2", ts.backendState(8, 0));
        assertEquals(0, rig.server.watchCount(), "every watch removed on close");

        // record every value the backend state node takes from now on
        List<String> states = new CopyOnWriteArrayList<>();
        String node = VifNodes.backend(7, 0) + "/state";
        try (XsWatch w = ts.dom0.watch(node, "observer", ev -> states.add(ts.read(node)))) {
            await().atMost(WAIT).until(() -> !states.isEmpty());
            ts.addVif(9, 0); // a device added while the backend was down
            rig.netfront(9, 0);
            rig.startBackend();
            await().atMost(WAIT).until(() -> rig.connector.of(new VifId(7, 0)).size() == 2);
            RecordingConnector.Connection after = rig.connector.of(new VifId(7, 0)).get(1);
            assertEquals(AttachMode.RESUME_LIVE, after.mode);
            assertEquals(before.rings, after.rings);
            assertEquals(before.features, after.features);
            awaitState(9, 0, XenbusState.INIT_WAIT);
            assertEquals(XenbusState.INIT_WAIT, rig.backend.deviceStates().get(new VifId(8, 0)));
            assertEquals(XenbusState.CONNECTED, rig.backend.deviceStates().get(new VifId(7, 0)));
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> states.stream().allMatch("4"::equals));
        }
        // the guest never had to reconnect and keeps working with the re-attached data path
        assertEquals("4", live.guest.readString("device/vif/0/state"));
    }

    @Test
    void devicesOfAGuestThatIsAlreadyDeadAreNotProbed() throws Exception {
        ts.addVif(10, 0);
        rig.guest(10);
        rig.server.releaseDomain(10);
        ts.addVif(11, 0);
        rig.guest(11);
        rig.startBackend();
        awaitState(11, 0, XenbusState.INIT_WAIT);
        assertEquals("1", ts.backendState(10, 0), "nothing written for a dead guest's leftovers");
        assertEquals(null, ts.read(VifNodes.backend(10, 0) + "/feature-sg"));
        assertEquals(Map.of(new VifId(11, 0), XenbusState.INIT_WAIT), rig.backend.deviceStates());
        assertEquals(3 + 1, rig.server.watchCount(), "the backend's three and one for vif 11, none for the dead guest's");
    }

    @Test
    void incompleteDirectoriesWaitForTheirKeys() throws Exception {
        rig.guest(12);
        rig.startBackend();
        String be = VifNodes.backend(12, 0);
        ts.dom0.write(be + "/frontend", VifNodes.frontend(12, 0)); // no frontend-id yet
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> rig.backend.deviceStates().isEmpty());
        ts.dom0.rm(be);
        ts.addVif(12, 0);
        awaitState(12, 0, XenbusState.INIT_WAIT);
    }

    @Test
    void aFrontendIdThatDoesNotMatchThePathIsRefused() throws Exception {
        rig.guest(13);
        rig.startBackend();
        ts.addVif(13, 0, Map.of("frontend-id", "14"));
        awaitState(13, 0, XenbusState.CLOSING);
        assertTrue(ts.read(VifNodes.errorNode(13, 0)).contains("does not match"));
        await().atMost(WAIT).until(() -> rig.backend.retiredDevices().contains(new VifId(13, 0)));
        assertEquals(3, rig.server.watchCount());
    }

    @Test
    void aVifWrittenBeforeItsGuestIsIntroducedIsProbedOnIntroduce() throws Exception {
        rig.startBackend();
        ts.addVif(15, 0); // the toolstack was quicker than INTRODUCE
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> rig.backend.deviceStates().isEmpty());
        ScriptedNetfront fe = rig.netfront(15, 0); // introduces domain 15: @introduceDomain
        awaitState(15, 0, XenbusState.INIT_WAIT);
        fe.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        awaitState(15, 0, XenbusState.CONNECTED);
    }

    @Test
    void aDataPathThatThrowsEndsOnlyItsDevice() throws Exception {
        rig.startBackend();
        ScriptedNetfront a = rig.netfront(16, 0);
        ScriptedNetfront b = rig.netfront(17, 0);
        ts.addVif(16, 0);
        ts.addVif(17, 0);
        awaitState(16, 0, XenbusState.INIT_WAIT);
        awaitState(17, 0, XenbusState.INIT_WAIT);
        a.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        b.connect(ScriptedNetfront.linux61Keys(8, 9, 11, 12, true));
        awaitState(16, 0, XenbusState.CONNECTED);
        awaitState(17, 0, XenbusState.CONNECTED);
        RecordingConnector.Connection broken = rig.connector.of(new VifId(16, 0)).get(0);
        broken.failRates = true;
        ts.dom0.write(VifNodes.backend(16, 0) + "/rate", "100,200");
        ts.dom0.write(VifNodes.backend(17, 0) + "/rate", "300,400");
        awaitState(16, 0, XenbusState.CLOSING);
        assertEquals(1, broken.closes.get());
        RecordingConnector.Connection fine = rig.connector.of(new VifId(17, 0)).get(0);
        await().atMost(WAIT).until(() -> fine.rates.equals(List.of(new RateLimit(300, 400))));
        assertEquals("4", ts.backendState(17, 0));
        assertEquals(0, fine.closes.get());
        // the failed device still follows its frontend: close and reconnect work
        a.state(XenbusState.CLOSED);
        awaitState(16, 0, XenbusState.CLOSED);
        a.state(XenbusState.INITIALISING);
        awaitState(16, 0, XenbusState.INIT_WAIT);
        a.state(XenbusState.CONNECTED);
        awaitState(16, 0, XenbusState.CONNECTED);
        assertEquals(new RateLimit(100, 200), rig.connector.of(new VifId(16, 0)).get(1).config.rate());
    }
}
