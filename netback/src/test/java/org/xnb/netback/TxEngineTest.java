package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.netfront.Packets.packet;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;

/** The Tx engine end to end on the harness: good packets, multi-slot, metadata, notifications. */
class TxEngineTest {
    private HarnessHost host;
    private MockNetfront front;
    private BackendQueue back;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        if (back != null) {
            back.close();
        }
        front.close();
        host.close();
    }

    @Test
    void singleSlotPacketArrivesWithItsBytesAndIsAnsweredOkay() {
        byte[] p = packet(60, 1);
        int id = front.postPacket(p);
        front.pushTx();

        assertEquals(1, back.tx.doWork());

        assertEquals(1, back.frames.size());
        assertArrayEquals(p, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(1, rsp.size());
        assertArrayEquals(new int[] {id, Netif.RSP_OKAY}, rsp.get(0));
        assertEquals(1, back.txRing.requestConsumer());
        assertEquals(1, back.txRing.responseProducer());
        assertEquals(1, back.tx.counters().packets);
        assertEquals(60, back.tx.counters().bytes);
    }

    @Test
    void multiSlotPacketIsReassembledFromEverySlotAtItsOffset() {
        byte[] p = packet(9000, 2);
        int[] ids = front.postPacket(p, 0, new int[] {1000, 4096, 3000, 904}, 3000, 0, 1096, 7);
        front.pushTx();

        assertEquals(4, back.tx.doWork());

        assertArrayEquals(p, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(4, rsp.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(new int[] {ids[i], Netif.RSP_OKAY}, rsp.get(i));
        }
    }

    @Test
    void xsa423HeadersSplitAcrossSlotsArriveLinear() {
        // 14-byte Ethernet header in slot 1, the IP header cut in the middle by slot 2 and 3
        byte[] p = packet(120, 3);
        front.postPacket(p, 0, new int[] {14, 9, 11, 86}, 4082, 4087, 0, 10);
        front.pushTx();

        back.tx.doWork();

        assertEquals(1, back.frames.size());
        assertArrayEquals(p, back.frames.get(0).bytes());
    }

    @Test
    void xsa432MaximumSlotsWithAFirstSlotShorterThanTheHeaderCopy() {
        // 1 + 18 slots (the most that is accepted), first slot 14 bytes < XEN_NETBACK_TX_COPY_LEN
        int[] sizes = new int[19];
        sizes[0] = 14;
        int total = 14;
        for (int i = 1; i < 19; i++) {
            sizes[i] = i == 1 ? 3 : 100 + i;
            total += sizes[i];
        }
        byte[] p = packet(total, 4);
        int[] ids = front.postPacket(p, 0, sizes);
        front.pushTx();

        assertEquals(19, back.tx.doWork());

        assertArrayEquals(p, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(19, rsp.size());
        for (int i = 0; i < 19; i++) {
            assertArrayEquals(new int[] {ids[i], Netif.RSP_OKAY}, rsp.get(i));
        }
    }

    @Test
    void xsa448ZeroLengthFragmentsAfterTheFirstSlotAreAnsweredOkay() {
        byte[] p = packet(200, 5);
        int[] ids = front.postPacket(p, 0, new int[] {100, 0, 100, 0});
        front.pushTx();

        assertEquals(4, back.tx.doWork());

        assertArrayEquals(p, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(4, rsp.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(new int[] {ids[i], Netif.RSP_OKAY}, rsp.get(i));
        }
        assertFalse(back.tx.stopped());
    }

    @Test
    void gsoChecksumAndHashMetadataArePassedToTheSink() {
        byte[] p = packet(3000, 6);
        int id = front.nextId();
        int f = front.takeTxFrame();
        front.memory.putBytes(MockNetfront.txFrameOffset(f), p);
        front.postTx(front.txRef(f), 0, NetTxFlags.EXTRA_INFO | NetTxFlags.CSUM_BLANK, id, p.length);
        front.postGso(ExtraInfo.FLAG_MORE, 1448, ExtraInfo.GSO_TYPE_TCPV6);
        ExtraInfo.writeHash(front.memory, front.tx.produceRequest(), 0, 3, 1, 0xcafe1234);
        front.pushTx();

        assertEquals(3, back.tx.doWork());

        BackendQueue.Frame frame = back.frames.get(0);
        assertArrayEquals(p, frame.bytes());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV6, frame.gsoType());
        assertEquals(1448, frame.gsoSize());
        assertEquals(FrameMetadata.CSUM_BLANK, frame.checksum());
        assertEquals(3, frame.hashType());
        assertEquals(0xcafe1234, frame.hashValue());
        List<int[]> rsp = front.txResponses();
        assertEquals(3, rsp.size());
        assertArrayEquals(new int[] {id, Netif.RSP_OKAY}, rsp.get(0));
        assertEquals(Netif.RSP_NULL, rsp.get(1)[1]);
        assertEquals(Netif.RSP_NULL, rsp.get(2)[1]);
    }

    @Test
    void dataValidatedFlagBecomesDataValidatedMetadata() {
        byte[] p = packet(64, 7);
        front.postPacket(p, NetTxFlags.DATA_VALIDATED, new int[] {64});
        front.pushTx();
        back.tx.doWork();
        assertEquals(FrameMetadata.DATA_VALIDATED, back.frames.get(0).checksum());
        assertEquals(0, back.frames.get(0).gsoType());
        assertEquals(FrameMetadata.NO_HASH, back.frames.get(0).hashType());
    }

    @Test
    void multicastExtrasMaintainTheVifListAsLinuxDoes() {
        long mac = 0x01005e000001L;
        int add = front.nextId();
        front.postTx(0, 0, NetTxFlags.EXTRA_INFO, add, 0);
        front.postMcast(ExtraInfo.TYPE_MCAST_ADD, 0, mac);
        front.pushTx();
        back.tx.doWork();
        assertTrue(back.multicast.contains(mac));
        List<int[]> rsp = front.txResponses();
        assertArrayEquals(new int[] {add, Netif.RSP_OKAY}, rsp.get(0));
        assertEquals(Netif.RSP_NULL, rsp.get(1)[1]);

        int del = front.nextId();
        front.postTx(0, 0, NetTxFlags.EXTRA_INFO, del, 0);
        front.postMcast(ExtraInfo.TYPE_MCAST_DEL, 0, mac);
        front.pushTx();
        back.tx.doWork();
        assertFalse(back.multicast.contains(mac));
        assertArrayEquals(new int[] {del, Netif.RSP_OKAY}, front.txResponses().get(0));
        assertTrue(back.frames.isEmpty(), "multicast requests carry no frame");
        assertEquals(2, back.tx.counters().multicastUpdates);
    }

    @Test
    void aBatchTakesAtMostARingAndTheRestFollowsInTheNextCall() {
        // 256 single-slot packets fill the ring; answer them, then 300 more in two rounds
        for (int round = 0; round < 3; round++) {
            int n = round == 0 ? 256 : 150;
            for (int i = 0; i < n; i++) {
                front.postPacket(packet(64, i));
            }
            front.pushTx();
            assertEquals(n, back.tx.doWork());
            assertEquals(n, front.txResponses().size());
        }
        assertEquals(556, back.tx.counters().packets);
        assertEquals(556, back.frames.size());
    }

    @Test
    void notifiesTheGuestOnlyWhenItsRspEventAsksForIt() {
        front.postPacket(packet(64, 1));
        front.pushTx();
        back.tx.doWork();
        // FrontRing.initShared set rsp_event = 1: the first response crosses it
        assertEquals(1, back.tx.counters().notifications);
        assertEquals(1, host.account.notificationsSent(HarnessHost.BACKEND, back.localPort));

        // the guest has not re-armed (rsp_event still 1): two more packets, no notification
        front.postPacket(packet(64, 2));
        front.postPacket(packet(64, 3));
        front.pushTx();
        back.tx.doWork();
        assertEquals(1, back.tx.counters().notifications);
        assertEquals(1, back.tx.counters().notificationsSuppressed);
        assertEquals(1, host.account.notificationsSent(HarnessHost.BACKEND, back.localPort));

        // the guest consumes and re-arms (rsp_event = rsp_cons + 1): the next response notifies
        front.txResponses();
        assertFalse(front.tx.finalCheckForResponses());
        front.postPacket(packet(64, 4));
        front.pushTx();
        back.tx.doWork();
        assertEquals(2, back.tx.counters().notifications);
        assertEquals(2, host.account.notificationsSent(HarnessHost.BACKEND, back.localPort));
        assertTrue(front.events.waitPending(1_000_000_000L) == front.port);
    }

    @Test
    void idleEngineRearmsReqEventSoTheGuestKicksItForTheNextRequest() {
        front.postPacket(packet(64, 1));
        front.pushTx();
        assertEquals(1, back.tx.doWork());
        // the batch drained the ring, so it re-armed at once: no extra idle call needed
        int reqEvent = back.txMapping.buffer().getIntVolatile(SharedRingDescriptor.REQ_EVENT_OFFSET);
        assertEquals(back.txRing.requestConsumer() + 1, reqEvent);
        assertEquals(0, back.tx.doWork());
        front.postPacket(packet(64, 2));
        assertTrue(front.pushTx(), "the guest must kick the backend after it re-armed");
    }

    @Test
    void enginesStopLeavesNoPinsOnceTheRingsAreUnmapped() {
        front.postPacket(packet(5000, 1), 0, new int[] {3000, 2000});
        front.pushTx();
        back.tx.doWork();
        assertEquals(2, host.account.mappedPages(HarnessHost.BACKEND));
        assertEquals(2, host.account.pinnedGrants(HarnessHost.GUEST_A), "only the two ring pages stay mapped");
        back.close();
        back = null;
        assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A));
        assertEquals(0, host.account.mappedPages(HarnessHost.BACKEND));
    }

    @Test
    void healthyEngineReportsNoFatalError() {
        front.postPacket(packet(64, 1));
        front.pushTx();
        back.tx.doWork();
        assertNull(back.tx.fatalError());
        assertTrue(back.fatals.isEmpty());
    }
}
