package org.xnb.netback.xenbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XsPermissions;

/** {@link VifNodes} against the harness xenstored: the nodes and permissions libxl writes, devids, removal. */
class VifNodesTest {
    @TempDir
    Path dir;
    private XenbusRig rig;
    private VifNodes nodes;

    @BeforeEach
    void setUp() throws Exception {
        rig = new XenbusRig(dir);
        nodes = rig.toolstack;
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void theNodesAndPermissionsAreLibxlsAndTheGuestCanReadItsBackendButNotWriteIt() throws Exception {
        nodes.addVif(5, 1, "00:16:3e:aa:bb:cc", Map.of("bridge", "lan1", "rate", "125000,20000"));
        String be = "/local/domain/0/backend/vif/5/1";
        String fe = "/local/domain/5/device/vif/1";
        XenstoreClient xs = nodes.dom0;
        assertEquals(java.util.Set.of("frontend", "frontend-id", "online", "state", "handle", "mac", "type", "bridge", "rate"),
                java.util.Set.copyOf(xs.directory(be)));
        assertEquals(fe, xs.readString(be + "/frontend"));
        assertEquals("5", xs.readString(be + "/frontend-id"));
        assertEquals("1", xs.readString(be + "/online"));
        assertEquals("1", xs.readString(be + "/state"));
        assertEquals("1", xs.readString(be + "/handle"));
        assertEquals("00:16:3e:aa:bb:cc", xs.readString(be + "/mac"));
        assertEquals("vif", xs.readString(be + "/type"));
        assertEquals("lan1", xs.readString(be + "/bridge"));
        assertEquals(XsPermissions.parse("n0 r5"), xs.getPermissions(be));
        assertEquals(XsPermissions.parse("n0 r5"), xs.getPermissions(be + "/mac"), "keys inherit the directory's");
        assertEquals(XsPermissions.parse("n0 r5"), xs.getPermissions("/local/domain/5/device/vif"));
        assertEquals(XsPermissions.parse("n5 r0"), xs.getPermissions(fe));
        assertEquals(be, xs.readString(fe + "/backend"));
        assertEquals("0", xs.readString(fe + "/backend-id"));
        assertEquals("1", xs.readString(fe + "/handle"));
        assertEquals("00:16:3e:aa:bb:cc", xs.readString(fe + "/mac"));
        assertEquals("1", xs.readString(fe + "/state"));

        XenstoreClient guest = rig.guest(5);
        assertEquals("lan1", guest.readString(be + "/bridge"), "the guest reads its backend");
        assertThrowsXs(() -> guest.write(be + "/state", "4"));
        guest.write("device/vif/1/state", "3"); // and writes its own frontend directory
    }

    @Test
    void theFirstFreeDevidSkipsBothBackendAndFrontendDirectories() {
        assertEquals(0, nodes.firstFreeDevid(5));
        nodes.addVif(5, 0);
        nodes.addVif(5, 2);
        nodes.dom0.mkdir("/local/domain/5/device/vif/1"); // a frontend dir left without its backend
        assertEquals(3, nodes.firstFreeDevid(5));
        assertEquals(0, nodes.firstFreeDevid(6));
        assertTrue(nodes.exists(5, 2));
        assertFalse(nodes.exists(5, 3));
    }

    @Test
    void removeWaitsForClosedThenRemovesBothDirectoriesAndGivesUpAfterItsWait() throws Exception {
        nodes.addVif(5, 0);
        String be = VifNodes.backend(5, 0);
        Thread backend = new Thread(() -> {
            // a backend answering online=0 + Closing as netback does: Closed once the toolstack asked
            try {
                rig.toolstack.awaitBackendState(5, 0, XenbusState.CLOSING, Duration.ofSeconds(5));
                Thread.sleep(100);
                nodes.dom0.write(be + "/state", "6");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backend.start();
        long t0 = System.nanoTime();
        assertTrue(nodes.remove(5, 0, Duration.ofSeconds(5)));
        backend.join();
        assertTrue(System.nanoTime() - t0 >= 100_000_000L, "it waited for Closed");
        assertFalse(nodes.dom0.exists(be));
        assertFalse(nodes.dom0.exists(VifNodes.frontend(5, 0)));

        nodes.addVif(5, 1); // nobody answers
        assertFalse(nodes.remove(5, 1, Duration.ofMillis(200)));
        assertFalse(nodes.dom0.exists(VifNodes.backend(5, 1)), "removed anyway after the wait");
        assertFalse(nodes.dom0.exists(VifNodes.frontend(5, 1)));
    }

    private static void assertThrowsXs(Runnable r) {
        try {
            r.run();
        } catch (org.xnb.xenstore.XenstoreException e) {
            assertEquals(org.xnb.xenstore.XsError.EACCES, e.error());
            return;
        }
        throw new AssertionError("expected EACCES");
    }
}
