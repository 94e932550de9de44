package org.xnb.netback.port.tap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.port.LearningSwitch;
import org.xnb.netback.port.PortLink;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;

/**
 * {@link TapUplinkPort} as a member of a real {@link LearningSwitch} with a TAP device in a
 * namespace: dom0's frames reach a vif member (flooded, then unicast once the vif's MAC is
 * known) and the switch learns dom0's MAC; several vif threads sending at once all reach the
 * kernel or are counted as drops; closing detaches it and stops its thread.
 */
class TapUplinkPortIT {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int WARMUP = 2_000;
    private final java.util.concurrent.atomic.AtomicLong senderAllocated = new java.util.concurrent.atomic.AtomicLong();
    private static final String VIF_MAC = "02:00:00:00:00:01";  // TestFrames' source
    private static final String HOST_MAC = "02:00:00:00:00:02"; // TestFrames' destination
    private static final String VIF_IP = "198.18.0.1";
    private static final String HOST_IP = "198.18.0.2";

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private TapDevice tapInNamespace(NetNs ns) {
        TapDevice tap = net.tap(TapConfig.builder().standardOffloads(true));
        tap.link().moveTo(ns.name()).mtu(1500).mac(HOST_MAC).up();
        ns.addAddress(tap.name(), HOST_IP + "/24");
        ns.execOk("ip", "neigh", "replace", VIF_IP, "lladdr", VIF_MAC, "dev", tap.name(), "nud", "permanent");
        return tap;
    }

    private static long macOf(String s) {
        long m = 0;
        for (String o : s.split(":")) {
            m = (m << 8) | Integer.parseInt(o, 16);
        }
        return m;
    }

    @Test
    void aDatagramFromDom0ReachesTheVifAndTheSwitchLearnsDom0sMac() {
        NetNs ns = net.namespace("tup");
        TapDevice tap = tapInNamespace(ns);
        LearningSwitch sw = new LearningSwitch();
        ConcurrentLinkedQueue<byte[]> got = new ConcurrentLinkedQueue<>();
        PortLink vif = sw.attach("vif5.0", macOf(VIF_MAC), (a, l, m) -> {
            byte[] b = new byte[l];
            new UnsafeBuffer(a, l).getBytes(0, b);
            got.add(b);
        });
        try (TapUplinkPort up = TapUplinkPort.start("tap-test", tap.queue(0), sw)) {
            assertEquals(2, sw.memberCount());
            String text = "dom0 to the vif through the uplink";
            ns.execOk("python3", "-c", "import socket\n"
                    + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                    + "s.sendto(b'" + text + "',('" + VIF_IP + "',7777))\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> got.stream()
                    .anyMatch(b -> new String(b, StandardCharsets.ISO_8859_1).contains(text)));
            assertEquals("tap-test", sw.ownerOf(macOf(HOST_MAC)), "the switch learned dom0's MAC from the TAP side");
            assertTrue(up.fromTap().frames >= 1);
            assertTrue(up.isRunning());
            vif.close();
        }
        assertEquals(0, sw.memberCount(), "closing the uplink detached it");
    }

    @Test
    void threeVifThreadsSendingAtOnceReachTheKernelOrAreCountedAsDrops() throws Exception {
        NetNs ns = net.namespace("tupm");
        TapDevice tap = tapInNamespace(ns);
        String rx = "/sys/class/net/" + tap.name() + "/statistics/rx_packets";
        long rx0 = Long.parseLong(ns.execOk("cat", rx).strip());
        LearningSwitch sw = new LearningSwitch();
        int threads = 3;
        int perThread = 20_000;
        try (TapUplinkPort up = TapUplinkPort.start("tap-test", tap.queue(0), sw)) {
            List<Thread> senders = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int id = t;
                // each sender a vif with its own MAC; frames to dom0's MAC: unknown unicast at first, flooded to the uplink
                PortLink link = sw.attach("vif" + id, 0x020000000100L + id, (a, l, m) -> { });
                byte[] frame = TestFrames.ipv4(TestFrames.UDP, 5, 0, 200, false, id);
                frame[11] = (byte) (0x10 + id); // a distinct source MAC per sender, so each one's frames are its own
                UnsafeBuffer f = TestFrames.offHeap(frame);
                Thread th = new Thread(() -> {
                    FrameMetadata m = new FrameMetadata();
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long before = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (i == WARMUP) {
                            before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
                        }
                        link.onFrame(f.addressOffset(), frame.length, m.reset());
                    }
                    senderAllocated.addAndGet(THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
                });
                senders.add(th);
                th.start();
            }
            long uplinkBefore = THREADS.getThreadAllocatedBytes(up.threadId());
            start.countDown();
            for (Thread th : senders) {
                th.join();
            }
            long sent = (long) threads * perThread;
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    up.toTap().frames + up.toTap().drops() + up.handOffDrops() == sent);
            assertTrue(up.toTap().frames > 0);
            long uplinkAllocated = THREADS.getThreadAllocatedBytes(up.threadId()) - uplinkBefore;
            assertTrue(uplinkAllocated < 16 * 1024, "the uplink thread allocated " + uplinkAllocated + " bytes for "
                    + sent + " frames");
            assertTrue(senderAllocated.get() < 16 * 1024, "the senders allocated " + senderAllocated.get()
                    + " bytes in the switch and the hand-off");
            long kernel = Long.parseLong(ns.execOk("cat", rx).strip()) - rx0;
            assertEquals(up.toTap().frames, kernel, "every frame written is counted by the kernel once");
        }
        assertFalse(sw.memberCount() > threads, "the uplink detached");
    }

    @Test
    void aMultiQueueTapGetsAThreadPerQueueAndFlowsUseEveryQueueBothWays() throws Exception {
        NetNs ns = net.namespace("tupq");
        TapDevice tap = net.tap(TapConfig.builder().queues(2).multiQueue(true).standardOffloads(true));
        tap.link().moveTo(ns.name()).mtu(1500).mac(HOST_MAC).up();
        ns.addAddress(tap.name(), HOST_IP + "/24");
        ns.execOk("ip", "neigh", "replace", VIF_IP, "lladdr", VIF_MAC, "dev", tap.name(), "nud", "permanent");
        String rx = "/sys/class/net/" + tap.name() + "/statistics/rx_packets";
        long rx0 = Long.parseLong(ns.execOk("cat", rx).strip());
        LearningSwitch sw = new LearningSwitch();
        java.util.concurrent.atomic.AtomicLong atVif = new java.util.concurrent.atomic.AtomicLong();
        PortLink vif = sw.attach("vif5.0", macOf(VIF_MAC), (a, l, m) -> atVif.incrementAndGet());
        try (TapUplinkPort up = TapUplinkPort.start("tap-test", tap.queues(), sw)) {
            assertEquals(2, up.queueCount());
            assertEquals(2, sw.memberCount(), "one member for both queues");
            // the vif sends 64 flows (source ports) to dom0: the hash spreads them over both queues
            FrameMetadata m = new FrameMetadata();
            int flows = 64;
            int perFlow = 50;
            for (int i = 0; i < flows * perFlow; i++) {
                byte[] frame = TestFrames.ipv4(TestFrames.UDP, 5, 0, 64, false, 1);
                int port = 20_000 + i % flows;
                frame[34] = (byte) (port >>> 8);
                frame[35] = (byte) port;
                UnsafeBuffer f = TestFrames.offHeap(frame);
                vif.onFrame(f.addressOffset(), frame.length, m.reset());
                if (i % 256 == 255) {
                    Thread.sleep(1); // stay within the hand-offs
                }
            }
            long sent = (long) flows * perFlow;
            await().atMost(Duration.ofSeconds(20)).until(() -> up.toTap(0).frames + up.toTap(1).frames
                    + up.toTap(0).drops() + up.toTap(1).drops() + up.handOffDrops() == sent);
            assertTrue(up.toTap(0).frames > 0 && up.toTap(1).frames > 0,
                    "both queues wrote: " + up.toTap(0).frames + " / " + up.toTap(1).frames);
            long kernel = Long.parseLong(ns.execOk("cat", rx).strip()) - rx0;
            assertEquals(up.toTap(0).frames + up.toTap(1).frames, kernel, "every frame written counted once");
            // dom0 sends 64 flows to the vif: Linux spreads them over the queue fds, each read by its thread
            ns.execOk("python3", "-c", "import socket\n"
                    + "for p in range(64):\n"
                    + "  s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                    + "  s.bind(('" + HOST_IP + "',30000+p))\n"
                    + "  [s.sendto(b'x'*32,('" + VIF_IP + "',7777)) for _ in range(4)]\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> atVif.get() >= 256);
            assertTrue(up.fromTap(0).frames > 0 && up.fromTap(1).frames > 0,
                    "both queues read: " + up.fromTap(0).frames + " / " + up.fromTap(1).frames);
            assertTrue(up.isRunning());
            vif.close();
        }
        assertEquals(0, sw.memberCount());
    }
}
