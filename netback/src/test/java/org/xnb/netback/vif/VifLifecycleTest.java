package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xnb.harness.hypervisor.HarnessAccount;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.netback.xenbus.AttachMode;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.ScriptedNetfront;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.netback.xenbus.XenbusState;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.harness.netfront.MockNetfront;

/**
 * What happens to a vif over its life: every way a device ends releases every pin, mapping, port
 * and queued frame; an idle vif's thread sleeps; a restarted netback resumes live rings; {@code rate}
 * reaches the hook.
 */
class VifLifecycleTest {
    private static final int A = HarnessHost.GUEST_A;
    private static final int B = HarnessHost.GUEST_B;
    private static final int BACKEND = HarnessHost.BACKEND;

    @TempDir
    Path dir;
    private VifRig rig;
    private HarnessAccount account;

    @BeforeEach
    void setUp() throws Exception {
        rig = new VifRig(dir);
        account = rig.host.account;
        rig.startService();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    enum Teardown { FRONTEND_CLOSED, ONLINE_ZERO, NODE_REMOVAL, RELEASE_DOMAIN }

    @ParameterizedTest
    @EnumSource(Teardown.class)
    void everyWayAVifEndsLeavesNoPinsMappingsPortsOrQueuedFrames(Teardown how) throws Exception {
        GuestDriver a = rig.addGuest(A, true);
        GuestDriver b = rig.addGuest(B, false);
        assertEquals(3, account.boundPorts(BACKEND)); // A split (2) + B shared (1)
        assertEquals(2, account.pinnedGrants(A));
        // B sends more than A has buffers for: A's Rx queue holds the rest (A does not read)
        int frames = GuestDriver.RX_POSTED + 40;
        for (int i = 0; i < frames; i++) {
            if (!b.txRoom(1)) {
                await().atMost(VifRig.WAIT).pollInterval(Duration.ofMillis(1)).until(() -> b.txRoom(1));
            }
            b.send(b.frame(a.mac, 200, i));
        }
        Vif va = rig.vif(A);
        await().atMost(VifRig.WAIT).until(() -> va.rx().counters().packets == GuestDriver.RX_POSTED
                && va.rx().queuedFrames() == frames - GuestDriver.RX_POSTED);
        switch (how) {
            case FRONTEND_CLOSED -> {
                a.state(XenbusState.CLOSING);
                a.state(XenbusState.CLOSED);
            }
            case ONLINE_ZERO -> rig.toolstack.setOffline(A, 0);
            case NODE_REMOVAL -> rig.toolstack.removeVif(A, 0);
            case RELEASE_DOMAIN -> rig.server.releaseDomain(A);
        }
        await().atMost(VifRig.WAIT).until(() -> rig.vif(A) == null && !va.thread().isAlive());
        assertEquals(0, account.pinnedGrants(A));
        assertEquals(1, account.boundPorts(BACKEND)); // B's
        assertEquals(2, account.mappedPages(BACKEND)); // B's two rings
        assertEquals(0, va.rx().queuedFrames());
        assertEquals(frames - GuestDriver.RX_POSTED, va.rx().counters().droppedPurged);
        assertEquals(1, rig.service.port().memberCount());
        assertNull(rig.service.port().ownerOf(a.mac));
        rig.service.close();
        rig.service = null;
        assertEquals(0, account.pinnedGrants(B));
        assertEquals(0, account.boundPorts(BACKEND));
        assertEquals(0, account.mappedPages(BACKEND));
    }

    @Test
    void anIdleVifThreadSleepsInPollAndWakesForAFrame() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        a.send(a.frame(b.mac, 100, 1));
        assertEquals(1, VifEndToEndTest.awaitFrames(b, 1).size());
        Vif vb = rig.vif(B);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long tid = vb.thread().getId();
        // settle: no wake-up between two looks 300 ms apart
        long[] last = {-1};
        await().atMost(VifRig.WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            long w = vb.wakeups();
            boolean same = w == last[0];
            last[0] = w;
            return same;
        });
        long wakeups = vb.wakeups();
        long cpu = mx.getThreadCpuTime(tid);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> vb.wakeups() == wakeups);
        long cpuUsed = mx.getThreadCpuTime(tid) - cpu;
        assertTrue(cpuUsed < 20_000_000L, "idle vif thread used " + cpuUsed / 1000 + " µs of CPU in 1 s");
        // B's own event channel stays quiet: only A's frame, through the switch, wakes B's thread
        long events = vb.eventsHandled();
        byte[] sent = a.frame(b.mac, 300, 2);
        a.send(sent);
        List<GuestDriver.Received> got = VifEndToEndTest.awaitFrames(b, 1);
        assertArrayEquals(sent, got.get(0).bytes());
        assertTrue(vb.wakeups() > wakeups);
        assertTrue(vb.eventsHandled() >= events);
    }

    @Test
    void aRestartedNetbackResumesTheLiveRingsAndDeliversWhatWasQueuedMeanwhile() throws Exception {
        GuestDriver a = rig.addGuest(A, true);
        GuestDriver b = rig.addGuest(B, false);
        b.send(b.frame(a.mac, 100, 0));
        assertEquals(1, VifEndToEndTest.awaitFrames(a, 1).size());
        rig.stopService();
        assertEquals(0, account.boundPorts(BACKEND));
        assertEquals(0, account.pinnedGrants(B));
        // the guests never noticed: B keeps queueing frames for A on its live Tx ring (its kicks
        // go nowhere: the backend's ports are closed)
        List<byte[]> sent = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            byte[] f = b.frame(a.mac, 64 + i * 10, i);
            b.send(f);
            sent.add(f);
        }
        assertEquals("4", rig.toolstack.backendState(B, 0));
        rig.startService();
        // the new netback re-attaches both (A first: devices are probed in domain order, so A is on
        // the switch before B's vif thread forwards what B queued)
        await().atMost(VifRig.WAIT).until(() -> rig.vif(A) != null && rig.vif(B) != null);
        assertEquals(AttachMode.RESUME_LIVE, rig.vif(A).mode());
        assertEquals(AttachMode.RESUME_LIVE, rig.vif(B).mode());
        List<GuestDriver.Received> got = VifEndToEndTest.awaitFrames(a, 30);
        assertEquals(30, got.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(sent.get(i), got.get(i).bytes(), "frame " + (i + 1));
        }
        // every request B queued got exactly one response, and traffic goes on both ways
        await().atMost(VifRig.WAIT).until(() -> b.front.tx.responseProducer() == b.front.tx.requestProducer());
        a.send(a.frame(b.mac, 80, 99));
        assertEquals(1, VifEndToEndTest.awaitFrames(b, 1).size());
    }

    @Test
    void rateChangesReachTheHookAndTheVif() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        rig.service.close();
        rig.service = null;
        rig.startService((id, rate) -> seen.add(id + " " + rate.creditBytes() + "/" + rate.creditUsec()));
        rig.addGuest(A, false);
        rig.toolstack.dom0.write(org.xnb.netback.xenbus.VifNodes.backend(A, 0) + "/rate", "125000,20000");
        await().atMost(VifRig.WAIT).until(() -> !seen.isEmpty());
        assertEquals("vif" + A + ".0 125000/20000", seen.get(0));
        RateLimit r = rig.vif(A).rate();
        assertNotNull(r);
        assertEquals(125000, r.creditBytes());
        assertEquals(20000, r.creditUsec());
    }

    @Test
    void ringsThatCannotBeTakenOverAreRefusedWithNothingLeftMappedOrBound() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        XenstoreClient xs = XenstoreClient.connect(UnixSocketTransport.connect(rig.server.introduceDomain(B)),
                VifRig.CLIENT);
        try {
            rig.toolstack.addVif(B, 0);
            await().atMost(VifRig.WAIT).until(() -> "2".equals(rig.toolstack.backendState(B, 0)));
            GuestDriver b = new GuestDriver(rig.host, xs, B, false);
            try {
                // an rx-ring-ref the guest never granted (MockNetfront grants about 500 refs): the
                // Tx ring is mapped first and must be unmapped again
                java.util.Map<String, String> keys = new java.util.LinkedHashMap<>(ScriptedNetfront.linux61Keys(
                        b.front.txRingRef, HarnessHost.GRANTS - 1, b.front.port, b.front.port, false));
                b.xenbus.connect(keys);
                await().atMost(VifRig.WAIT).until(() -> "5".equals(rig.toolstack.backendState(B, 0)));
                assertNotNull(rig.toolstack.read(VifNodes.errorNode(B, 0)));
                assertNull(rig.vif(B));
                assertEquals(0, account.pinnedGrants(B));
                assertEquals(1, account.boundPorts(BACKEND)); // A's only
                assertEquals(2, account.mappedPages(BACKEND));
                assertEquals(1, rig.service.port().memberCount());
            } finally {
                b.close();
            }
        } finally {
            xs.close();
        }
        // A is unaffected
        a.send(a.frame(org.xnb.netback.port.MacAddress.BROADCAST, 60, 1));
        await().atMost(VifRig.WAIT).until(() -> rig.vif(A).tx().counters().packets == 1);
    }

    @Test
    void theVifThreadsAllocateNothingPerFrameInSteadyState() throws Exception {
        GuestDriver a = rig.addGuest(A, false);
        GuestDriver b = rig.addGuest(B, false);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long ta = rig.vif(A).thread().getId();
        long tb = rig.vif(B).thread().getId();
        exchange(a, b, 2000, 0); // warm up (JIT, first-use allocations)
        long before = mx.getThreadAllocatedBytes(ta) + mx.getThreadAllocatedBytes(tb);
        exchange(a, b, 10_000, 2000);
        long allocated = mx.getThreadAllocatedBytes(ta) + mx.getThreadAllocatedBytes(tb) - before;
        assertTrue(allocated < 16 * 1024, "vif threads allocated " + allocated + " bytes for 10 000 frames");
    }

    /** A sends {@code n} frames to B, keeping B's buffers posted; waits until B has them all. */
    private static void exchange(GuestDriver a, GuestDriver b, int n, int firstSeq) {
        long target = b.rxReceived + n;
        long deadline = System.nanoTime() + 30_000_000_000L;
        int sent = 0;
        while (b.rxReceived < target) {
            assertTrue(System.nanoTime() < deadline, "deadline passed: " + b.rxReceived + " of " + target);
            if (sent < n && sent - (b.rxReceived - (target - n)) < 150 && a.txRoom(1)) {
                a.send(a.frame(b.mac, 64 + sent % 1000, firstSeq + sent));
                sent++;
            }
            b.receive();
        }
    }
}
