package org.xnb.harness.netfront;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsPermissions;

/**
 * The netfront's xenbus handshake against a backend played by hand on dom0's connection: nothing
 * before InitWait; at InitWait the keys Linux 6.1's netfront writes (XEN-RIG.md), owned by the
 * guest and readable by dom0, then Connected; split channels only when offered; backend Closing
 * takes it to Closed and stops the data path.
 */
class NetfrontXenbusTest {
    private static final int GUEST = 4;
    private static final String BE = "/local/domain/0/backend/vif/4/0";
    private static final String FE = "/local/domain/4/device/vif/0";
    private ScratchDirectory scratch;
    private XenstoredServer xenstored;
    private XenstoreClient dom0;
    private XenstoreClient guestXs;
    private HarnessGuest guest;
    private NetfrontDevice dev;
    private final AtomicInteger disconnects = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        scratch = new ScratchDirectory(null, "xnb-netfront-xs-");
        try (HarnessDirectory h = HarnessDirectory.create(scratch.path())) {
            h.createDomain(0, 0, 64, 16);
            h.createDomain(GUEST, 2 * NetfrontDevice.PAGES, 2 * NetfrontDevice.GRANTS, 16);
        }
        Path socket = scratch.path().resolve("xs.sock");
        xenstored = XenstoredServer.start(socket);
        dom0 = XenstoreClient.connect(UnixSocketTransport.connect(socket));
        Path guestSocket = xenstored.introduceDomain(GUEST);
        guestXs = XenstoreClient.connect(UnixSocketTransport.connect(guestSocket));
        guest = new HarnessGuest(scratch.path(), GUEST);
        // libxl's nodes (XEN-RIG.md), frontend state=1 last
        dom0.transaction(tx -> {
            tx.mkdir(BE);
            tx.setPermissions(BE, XsPermissions.parse("n0 r4"));
            tx.write(BE + "/frontend", FE);
            tx.write(BE + "/frontend-id", "4");
            tx.write(BE + "/online", "1");
            tx.write(BE + "/state", "1");
            tx.mkdir("/local/domain/4/device/vif");
            tx.setPermissions("/local/domain/4/device/vif", XsPermissions.parse("n0 r4"));
            tx.mkdir(FE);
            tx.setPermissions(FE, XsPermissions.parse("n4 r0"));
            tx.write(FE + "/backend", BE);
            tx.write(FE + "/backend-id", "0");
            tx.write(FE + "/mac", "00:16:3e:00:04:00");
            tx.write(FE + "/state", "1");
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        if (dev != null) {
            dev.close();
        }
        guest.close();
        guestXs.close();
        dom0.close();
        xenstored.close();
        scratch.close();
    }

    private NetfrontXenbus start() {
        return NetfrontXenbus.start(guestXs, GUEST, 0, new NetfrontXenbus.Owner() {
            @Override
            public NetfrontDevice connect(int backendId, BackendFeatures features) {
                dev = new NetfrontDevice(guest, backendId, features.splitEventChannels());
                return dev;
            }

            @Override
            public void disconnect() {
                disconnects.incrementAndGet();
            }
        });
    }

    @Test
    void writesLinuxNetfrontKeysAtInitWaitThenFollowsClosing() throws Exception {
        NetfrontXenbus xb = start();
        Thread.sleep(200);
        assertNull(read(FE + "/tx-ring-ref"), "nothing before the backend's InitWait");
        assertEquals("1", read(FE + "/state"));

        dom0.write(BE + "/feature-rx-copy", "1");
        dom0.write(BE + "/feature-sg", "1");
        dom0.write(BE + "/feature-split-event-channels", "1");
        dom0.write(BE + "/state", "2");
        xb.awaitConnected(Duration.ofSeconds(10));

        assertEquals("4", read(FE + "/state"));
        assertEquals(Integer.toString(dev.txRingRef()), read(FE + "/tx-ring-ref"));
        assertEquals(Integer.toString(dev.rxRingRef()), read(FE + "/rx-ring-ref"));
        assertEquals(Integer.toString(dev.txPort()), read(FE + "/event-channel-tx"));
        assertEquals(Integer.toString(dev.rxPort()), read(FE + "/event-channel-rx"));
        assertNull(read(FE + "/event-channel"));
        for (String key : new String[] {"request-rx-copy", "feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
                "feature-gso-tcpv6", "feature-ipv6-csum-offload"}) {
            assertEquals("1", read(FE + "/" + key), key);
        }
        assertNull(read(FE + "/multi-queue-num-queues"), "the backend offers no queues");
        assertEquals(XsPermissions.parse("n4 r0"), dom0.getPermissions(FE + "/tx-ring-ref"),
                "written by the guest: its node, dom0 may read");

        dom0.write(BE + "/online", "0");
        dom0.write(BE + "/state", "5");
        await().atMost(Duration.ofSeconds(10)).until(() -> "6".equals(read(FE + "/state")));
        assertEquals(1, disconnects.get());
        assertEquals(NetfrontXenbus.CLOSED, xb.state());
        xb.close();
    }

    @Test
    void oneEventChannelWithoutSplitFeature() throws Exception {
        dom0.write(BE + "/feature-rx-copy", "1");
        dom0.write(BE + "/state", "2");
        NetfrontXenbus xb = start();
        xb.awaitConnected(Duration.ofSeconds(10));
        assertFalse(dev.split());
        assertEquals(Integer.toString(dev.txPort()), read(FE + "/event-channel"));
        assertNull(read(FE + "/event-channel-tx"));
        xb.close();
    }

    @Test
    void refusesABackendWithoutRxCopy() {
        dom0.write(BE + "/state", "2");
        NetfrontXenbus xb = start();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> xb.awaitConnected(Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("feature-rx-copy"), e.getMessage());
        assertEquals("1", read(FE + "/state"));
        xb.close();
    }

    @Test
    void multiQueueKeysInLinuxLayoutForTheQueuesBothSidesAllow() throws Exception {
        dom0.write(BE + "/feature-rx-copy", "1");
        dom0.write(BE + "/feature-split-event-channels", "1");
        dom0.write(BE + "/multi-queue-max-queues", "2");
        dom0.write(BE + "/state", "2");
        java.util.List<NetfrontDevice> devs = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        NetfrontXenbus xb = NetfrontXenbus.start(guestXs, GUEST, 0, new NetfrontXenbus.Owner() {
            @Override
            public NetfrontDevice connect(int backendId, BackendFeatures features) {
                throw new AssertionError("a multi-queue owner is asked for its queues");
            }

            @Override
            public java.util.List<NetfrontDevice> connectQueues(int backendId, BackendFeatures features, int queues) {
                asked.set(queues);
                for (int q = 0; q < queues; q++) {
                    devs.add(new NetfrontDevice(guest, backendId, true, q * NetfrontDevice.PAGES));
                }
                return devs;
            }

            @Override
            public void disconnect() {
                disconnects.incrementAndGet();
            }
        }, 4);
        try {
            xb.awaitConnected(Duration.ofSeconds(10));
            assertEquals(2, asked.get(), "min(backend's 2, our 4)");
            assertEquals("2", read(FE + "/multi-queue-num-queues"));
            for (int q = 0; q < 2; q++) {
                String d = FE + "/queue-" + q;
                assertEquals(Integer.toString(devs.get(q).txRingRef()), read(d + "/tx-ring-ref"));
                assertEquals(Integer.toString(devs.get(q).rxRingRef()), read(d + "/rx-ring-ref"));
                assertEquals(Integer.toString(devs.get(q).txPort()), read(d + "/event-channel-tx"));
                assertEquals(Integer.toString(devs.get(q).rxPort()), read(d + "/event-channel-rx"));
            }
            assertNull(read(FE + "/tx-ring-ref"), "no top-level ring keys with several queues");
            assertNull(read(FE + "/event-channel-tx"));
            assertTrue(devs.get(0).txRingRef() != devs.get(1).txRingRef());
        } finally {
            xb.close();
            devs.forEach(NetfrontDevice::close);
        }
    }

    private String read(String path) {
        try {
            return dom0.readString(path);
        } catch (XenstoreException e) {
            return null;
        }
    }
}
