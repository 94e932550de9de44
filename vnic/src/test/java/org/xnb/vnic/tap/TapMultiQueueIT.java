package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.os.LibC;
import org.xnb.vnic.testing.EtherFrames;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.TestAddresses;

/**
 * IFF_MULTI_QUEUE: one device, one fd per queue, and the kernel spreading flows over the queues
 * by flow hash. 32 UDP flows (one per destination port) sent from inside a namespace must arrive
 * once each, and on both queues; with queue 1 detached (TUNSETQUEUE) all arrive on queue 0.
 */
class TapMultiQueueIT {
    private static final int FLOWS = 32;
    private static final int FIRST_PORT = 40000;
    private static final String PEER = TestAddresses.host(3, 2);

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private final UnsafeBuffer buf = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TapQueue.MIN_READ_CAPACITY, 64));

    @Test
    void twoQueuesOfOneKernelNamedDeviceShareTheFlows() throws IOException {
        TapDevice tap = net.track(TapDevice.open(TapConfig.builder().queues(2).build()));
        assertEquals(2, tap.queueCount());
        assertNotEquals(tap.queue(0).fd(), tap.queue(1).fd());
        assertTrue(tap.name().matches("tap\\d+"), tap.name());
        assertEquals(tap.name(), tap.queue(1).deviceName());
        int sysFlags = Integer.decode(Files.readString(Path.of("/sys/class/net", tap.name(), "tun_flags")).strip());
        assertTrue((sysFlags & IfTun.IFF_MULTI_QUEUE) != 0, "tun_flags 0x" + Integer.toHexString(sysFlags));
        NetNs ns = namespaceWithPeer(tap);

        BitSet[] perQueue = sendFlowsAndCollect(ns, tap);
        assertTrue(perQueue[0].cardinality() > 0 && perQueue[1].cardinality() > 0,
                "all flows on one queue: queue 0 " + perQueue[0] + ", queue 1 " + perQueue[1]);
        System.out.printf("multi-queue: %d flows on queue 0, %d on queue 1%n",
                perQueue[0].cardinality(), perQueue[1].cardinality());
    }

    @Test
    void aDetachedQueueGetsNoFlowsUntilReattached() {
        TapDevice tap = net.tap(TapConfig.builder().queues(2));
        NetNs ns = namespaceWithPeer(tap);
        tap.queue(1).setAttached(false);
        BitSet[] detached = sendFlowsAndCollect(ns, tap);
        assertEquals(FLOWS, detached[0].cardinality());
        assertEquals(0, detached[1].cardinality(), "detached queue 1 got " + detached[1]);

        tap.queue(1).setAttached(true);
        BitSet[] attached = sendFlowsAndCollect(ns, tap);
        assertTrue(attached[1].cardinality() > 0, "reattached queue 1 got nothing: queue 0 " + attached[0]);
    }

    @Test
    void aSecondOpenOfASingleQueueDeviceIsRefusedAndItCannotDetach() {
        TapDevice tap = net.tap(TapConfig.builder());
        TapException e = assertThrows(TapException.class, () -> TapDevice.open(TapConfig.builder().name(tap.name()).build()));
        assertEquals(LibC.EBUSY, e.errno(), e.getMessage());
        TapException detach = assertThrows(TapException.class, () -> tap.queue(0).setAttached(false));
        assertEquals(LibC.EINVAL, detach.errno(), detach.getMessage());
    }

    private NetNs namespaceWithPeer(TapDevice tap) {
        NetNs ns = net.namespace("tapmq");
        tap.link().moveTo(ns.name()).up();
        ns.addAddress(tap.name(), TestAddresses.host(3, 1) + "/24");
        // a permanent neighbour entry: no ARP, so every frame to the peer is one of our datagrams
        ns.execOk("ip", "neigh", "replace", PEER, "lladdr", "02:00:5e:18:03:02", "dev", tap.name(), "nud", "permanent");
        return ns;
    }

    /** Sends one datagram per flow from inside {@code ns}; returns the flows (port - FIRST_PORT) seen per queue. */
    private BitSet[] sendFlowsAndCollect(NetNs ns, TapDevice tap) {
        ns.execOk("bash", "-c", "for p in $(seq " + FIRST_PORT + " " + (FIRST_PORT + FLOWS - 1) + "); do "
                + "echo flow$p > /dev/udp/" + PEER + "/$p; done");
        int peerIp = EtherFrames.ipv4(PEER);
        FdPoller poller = FdPoller.of(tap.queue(0), tap.queue(1));
        BitSet[] perQueue = {new BitSet(), new BitSet()};
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen < FLOWS && System.nanoTime() < deadline) {
            if (poller.poll(100) == 0) {
                continue;
            }
            for (int q = 0; q < 2; q++) {
                for (int batch = 0; batch < 64 && poller.readable(q); batch++) {
                    int n = tap.queue(q).read(buf.addressOffset(), buf.capacity());
                    if (n == 0) {
                        break;
                    }
                    int f = tap.vnetHeaderSize();
                    if (EtherFrames.etherType(buf, f) == EtherFrames.ETHERTYPE_IPV4
                            && EtherFrames.ipProtocol(buf, f) == EtherFrames.IPPROTO_UDP
                            && EtherFrames.ipDestination(buf, f) == peerIp) {
                        int udp = f + EtherFrames.ETH_HLEN + EtherFrames.ipHeaderLength(buf, f);
                        int flow = (buf.getShort(udp + 2, ByteOrder.BIG_ENDIAN) & 0xffff) - FIRST_PORT;
                        assertTrue(flow >= 0 && flow < FLOWS, "port " + (flow + FIRST_PORT));
                        assertTrue(!perQueue[0].get(flow) && !perQueue[1].get(flow), "flow " + flow + " delivered twice");
                        perQueue[q].set(flow);
                        seen++;
                    }
                }
            }
        }
        assertEquals(FLOWS, seen, "flows seen: queue 0 " + perQueue[0] + ", queue 1 " + perQueue[1]);
        return perQueue;
    }
}
