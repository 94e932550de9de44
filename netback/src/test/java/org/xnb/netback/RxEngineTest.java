package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.netfront.Packets.packet;

import java.nio.ByteOrder;
import java.util.List;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.rx.RxEngine;

/** The Rx engine end to end on the harness. */
class RxEngineTest {
    private HarnessHost host;
    private MockNetfront front;
    private BackendQueue back;
    private final FakeClock clock = new FakeClock();
    private final UnsafeBuffer world = new UnsafeBuffer(BufferUtil.allocateDirectAligned(70_000, 64));
    private final FrameMetadata meta = new FrameMetadata();

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
    }

    private void connect(VifFeatures features) {
        back = new BackendQueue(host, front, features, clock);
    }

    @AfterEach
    void tearDown() {
        if (back != null) {
            back.close();
        }
        front.close();
        host.close();
    }

    private boolean offer(byte[] frame) {
        return offer(frame, meta.reset());
    }

    private boolean offer(byte[] frame, FrameMetadata m) {
        world.putBytes(0, frame);
        return back.rx.offer(world.addressOffset(), frame.length, m);
    }

    @Test
    void singleSlotFrameFillsOneBufferAndAnswersInItsSlot() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(1514, 1);
        assertTrue(offer(f));
        front.postRx(1);

        assertEquals(1, back.rx.doWork());

        List<RxSlot> rsp = front.rxResponses();
        assertEquals(1, rsp.size());
        RxSlot s = rsp.get(0);
        assertEquals(0, s.offset());
        assertEquals(0, s.flags());
        assertEquals(1514, s.status());
        assertArrayEquals(f, front.rxData(s.id(), 0, 1514));
        assertEquals(1, back.rxRing.requestConsumer());
        assertEquals(1, back.rxRing.responseProducer());
        assertEquals(1, back.rx.counters().packets);
        assertEquals(0, back.rx.queuedBytes());
    }

    @Test
    void largeFrameSpansSlotsWithMoreDataForAnSgGuest() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(10_000, 2);
        assertTrue(offer(f));
        front.postRx(4);

        back.rx.doWork();

        List<RxSlot> rsp = front.rxResponses();
        assertEquals(3, rsp.size());
        int[] sizes = {4096, 4096, 1808};
        byte[] got = new byte[10_000];
        int at = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(sizes[i], rsp.get(i).status());
            assertEquals(i < 2 ? NetRxFlags.MORE_DATA : 0, rsp.get(i).flags());
            System.arraycopy(front.rxData(rsp.get(i).id(), 0, sizes[i]), 0, got, at, sizes[i]);
            at += sizes[i];
        }
        assertArrayEquals(f, got);
        assertEquals(3, back.rxRing.requestConsumer(), "the fourth buffer stays posted");
    }

    @Test
    void waitsUntilEnoughSlotsForTheWholeFrameAndAsksToBeKicked() {
        connect(VifFeatures.LINUX_DEFAULT);
        offer(packet(9000, 3));
        front.postRx(2);

        assertEquals(0, back.rx.doWork());
        assertEquals(0, back.rxRing.requestConsumer());
        int reqEvent = back.rxMapping.buffer().getIntVolatile(SharedRingDescriptor.REQ_EVENT_OFFSET);
        assertEquals(front.rx.requestProducer() + 1, reqEvent);

        front.postRx(1);
        assertEquals(1, back.rx.doWork());
        assertEquals(3, front.rxResponses().size());
    }

    @Test
    void withoutSgFramesLargerThanAPageAreDroppedAndCounted() {
        connect(VifFeatures.LINUX_DEFAULT.withSg(false));
        assertFalse(offer(packet(5000, 4)));
        assertEquals(1, back.rx.counters().droppedOversize);
        assertTrue(offer(packet(1500, 5)));
        front.postRx(2);
        back.rx.doWork();
        List<RxSlot> rsp = front.rxResponses();
        assertEquals(1, rsp.size());
        assertEquals(1500, rsp.get(0).status());
    }

    @Test
    void gsoFrameGetsAnExtraSlotAfterTheFirstDataSlot() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(6000, 6);
        meta.reset().gso(ExtraInfo.GSO_TYPE_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);
        assertTrue(offer(f, meta));
        front.postRx(3);

        back.rx.doWork();

        List<RxSlot> rsp = front.rxResponses();
        assertEquals(3, rsp.size());
        assertEquals(NetRxFlags.EXTRA_INFO | NetRxFlags.MORE_DATA | NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED,
                rsp.get(0).flags());
        assertEquals(4096, rsp.get(0).status());
        ExtraInfo extra = new ExtraInfo();
        UnsafeBuffer word = new UnsafeBuffer(new byte[8]);
        word.putLong(0, rsp.get(1).rawWord(), ByteOrder.LITTLE_ENDIAN);
        extra.readFrom(word, 0);
        assertEquals(ExtraInfo.TYPE_GSO, extra.type());
        assertEquals(0, extra.flags());
        assertEquals(1448, extra.gsoSize());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV4, extra.gsoType());
        assertEquals(1904, rsp.get(2).status());
        assertEquals(0, rsp.get(2).flags());
        byte[] got = new byte[6000];
        System.arraycopy(front.rxData(rsp.get(0).id(), 0, 4096), 0, got, 0, 4096);
        System.arraycopy(front.rxData(rsp.get(2).id(), 0, 1904), 0, got, 4096, 1904);
        assertArrayEquals(f, got);
    }

    @Test
    void hashExtraFollowsTheGsoExtraChainedWithMore() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(6000, 7);
        meta.reset().gso(ExtraInfo.GSO_TYPE_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);
        world.putBytes(0, f);
        long hash = 1L << 32 | 0x89abcdefL; // FrameHash: type bit 1 (IPV4_TCP), value
        assertTrue(back.rx.offer(world.addressOffset(), f.length, meta, hash));
        byte[] small = packet(100, 8);
        world.putBytes(8192, small);
        assertTrue(back.rx.offer(world.addressOffset() + 8192, small.length, meta.reset(), 0x5a5aL));
        front.postRx(2);
        back.rx.doWork();
        assertEquals(0, front.rxResponses().size(), "4 slots needed for the first frame (2 data, GSO, HASH)");
        front.postRx(4);
        back.rx.doWork();

        List<RxSlot> rsp = front.rxResponses();
        assertEquals(6, rsp.size());
        assertEquals(NetRxFlags.EXTRA_INFO | NetRxFlags.MORE_DATA | NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED,
                rsp.get(0).flags());
        long gso = rsp.get(1).rawWord();
        assertEquals(ExtraInfo.TYPE_GSO, gso & 0xff);
        assertEquals(ExtraInfo.FLAG_MORE, gso >>> 8 & 0xff, "another extra follows");
        // netif.h struct hash: type, algorithm, value[4] little-endian
        assertEquals(ExtraInfo.TYPE_HASH | 1L << 16 | 1L << 24 | 0x89abcdefL << 32, rsp.get(2).rawWord());
        assertEquals(1904, rsp.get(3).status());
        // a frame with only a hash: its extra right after its only data slot, value 0x5a5a, type 0 (IPV4)
        assertEquals(NetRxFlags.EXTRA_INFO, rsp.get(4).flags());
        assertEquals(100, rsp.get(4).status());
        assertEquals(ExtraInfo.TYPE_HASH | 1L << 24 | 0x5a5aL << 32, rsp.get(5).rawWord());
        assertArrayEquals(small, front.rxData(rsp.get(4).id(), 0, 100));
    }

    @Test
    void gsoOfATypeTheGuestDidNotAnnounceIsDropped() {
        connect(VifFeatures.LINUX_DEFAULT.withGso(true, false));
        meta.reset().gso(ExtraInfo.GSO_TYPE_TCPV6, 1428);
        assertFalse(offer(packet(3000, 7), meta));
        assertEquals(1, back.rx.counters().droppedGsoUnsupported);
    }

    @Test
    void checkedChecksumBecomesDataValidated() {
        connect(VifFeatures.LINUX_DEFAULT);
        offer(packet(100, 8), meta.reset().checksum(FrameMetadata.DATA_VALIDATED));
        front.postRx(1);
        back.rx.doWork();
        assertEquals(NetRxFlags.DATA_VALIDATED, front.rxResponses().get(0).flags());
    }

    @Test
    void eachResponseSitsInItsRequestsSlotWithItsId() {
        connect(VifFeatures.LINUX_DEFAULT);
        int[] ids = {700, 3, 65535};
        for (int id : ids) {
            front.postRxRaw(id, front.guest.grantAccess(MockNetfront.RX_DATA_FIRST + 150 + id % 7,
                    HarnessHost.BACKEND, false));
        }
        front.rx.pushRequestsAndCheckNotify();
        for (int i = 0; i < 3; i++) {
            offer(packet(200 + i, 10 + i));
        }
        back.rx.doWork();
        List<RxSlot> rsp = front.rxResponses();
        for (int i = 0; i < 3; i++) {
            assertEquals(i, rsp.get(i).ringIndex());
            assertEquals(ids[i], rsp.get(i).id());
            assertEquals(200 + i, rsp.get(i).status());
        }
    }

    @Test
    void failedGrantCopyAnswersThePacketsSlotsWithErrorAndTheNextFrameStillArrives() {
        connect(VifFeatures.LINUX_DEFAULT);
        front.postRxRaw(1, HarnessHost.GRANTS - 1); // never granted
        front.rx.pushRequestsAndCheckNotify();
        offer(packet(300, 20));
        back.rx.doWork();
        List<RxSlot> rsp = front.rxResponses();
        assertEquals(1, rsp.size());
        assertEquals(1, rsp.get(0).id());
        assertEquals(Netif.RSP_ERROR, rsp.get(0).status());
        assertEquals(1, back.rx.counters().copyErrors);

        byte[] f = packet(400, 21);
        offer(f);
        front.postRx(1);
        back.rx.doWork();
        RxSlot s = front.rxResponses().get(0);
        assertEquals(400, s.status());
        assertArrayEquals(f, front.rxData(s.id(), 0, 400));
    }

    @Test
    void notifiesOnlyWhenTheGuestAskedForIt() {
        connect(VifFeatures.LINUX_DEFAULT);
        front.postRx(10);
        offer(packet(100, 1));
        back.rx.doWork();
        assertEquals(1, back.rx.counters().notifications);
        offer(packet(100, 2));
        back.rx.doWork();
        assertEquals(1, back.rx.counters().notifications, "rsp_event not re-armed: no kick");
        assertEquals(1, back.rx.counters().notificationsSuppressed);
        front.rxResponses();
        assertFalse(front.rx.finalCheckForResponses());
        offer(packet(100, 3));
        back.rx.doWork();
        assertEquals(2, back.rx.counters().notifications);
        assertEquals(2, host.account.notificationsSent(HarnessHost.BACKEND, back.localPort));
    }

    @Test
    void xsa392GuestThatStopsConsumingKeepsBackendMemoryBoundedThenStallsAndRecovers() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(1514, 30);
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            if (offer(f)) {
                accepted++;
            }
            assertTrue(back.rx.queuedBytes() < RxEngine.RX_QUEUE_MAX_BYTES + 1514);
            back.rx.doWork();
        }
        assertEquals(RxEngine.RX_QUEUE_MAX_BYTES / 1514 + 1, accepted);
        assertEquals(2000 - accepted, back.rx.counters().droppedQueueFull);

        clock.advanceSeconds(10);
        back.rx.doWork();
        assertEquals(accepted, back.rx.counters().droppedExpired, "frames older than 10 s are dropped");
        assertEquals(0, back.rx.queuedBytes());
        assertTrue(back.rx.carrier());

        clock.advanceSeconds(50.5);
        back.rx.doWork();
        assertTrue(back.rx.stalled());
        assertFalse(back.rx.carrier());
        assertEquals(1, back.stalledEvents);
        back.rx.doWork();
        assertEquals(1, back.stalledEvents, "stalled is reported once");
        assertFalse(offer(f));
        assertEquals(1, back.rx.counters().droppedCarrierOff);

        front.postRx(1);
        back.rx.doWork();
        assertFalse(back.rx.stalled());
        assertTrue(back.rx.carrier());
        assertEquals(1, back.readyEvents);
        assertTrue(offer(f));
        back.rx.doWork();
        assertEquals(1514, front.rxResponses().get(0).status());
    }

    @Test
    void xsa392GuestKeepingOneSlotShortCannotPinMemory() {
        connect(VifFeatures.LINUX_DEFAULT);
        byte[] f = packet(8000, 31); // needs 2 slots
        front.postRx(1);
        for (int i = 0; i < 200; i++) {
            offer(f);
            back.rx.doWork();
            assertTrue(back.rx.queuedBytes() < RxEngine.RX_QUEUE_MAX_BYTES + 8000);
        }
        assertEquals(0, back.rxRing.requestConsumer(), "the single slot is never used");
        clock.advanceSeconds(10);
        back.rx.doWork();
        assertEquals(0, back.rx.queuedFrames());
        assertTrue(back.rx.counters().droppedExpired > 0);
    }

    @Test
    void frontendWithoutRxNotifyGetsA30msDrainAndNoStallDetection() {
        connect(new VifFeatures(true, true, true, true, true, false, false));
        assertTrue(offer(packet(100, 60)));
        clock.advanceSeconds(0.029);
        back.rx.doWork();
        assertEquals(1, back.rx.queuedFrames());
        clock.advanceSeconds(0.002);
        back.rx.doWork();
        assertEquals(0, back.rx.queuedFrames());
        assertEquals(1, back.rx.counters().droppedExpired);
        clock.advanceSeconds(120);
        back.rx.doWork();
        assertFalse(back.rx.stalled());
        assertTrue(back.rx.carrier());
        assertEquals(0, back.stalledEvents);
    }

    @Test
    void multicastControlFiltersUnsubscribedGroups() {
        connect(VifFeatures.LINUX_DEFAULT.withMulticastControl(true));
        byte[] group = packet(64, 40);
        byte[] mac = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x09};
        System.arraycopy(mac, 0, group, 0, 6);
        assertFalse(offer(group));
        assertEquals(1, back.rx.counters().droppedMulticastFilter);
        back.multicast.add(0x01005e000009L);
        assertTrue(offer(group));
        byte[] broadcast = packet(64, 41);
        java.util.Arrays.fill(broadcast, 0, 6, (byte) 0xff);
        assertTrue(offer(broadcast));
        byte[] unicast = packet(64, 42);
        unicast[0] = 0x02;
        assertTrue(offer(unicast));
    }

    @Test
    void stoppedEngineRefusesAndPurges() {
        connect(VifFeatures.LINUX_DEFAULT);
        offer(packet(100, 50));
        offer(packet(100, 51));
        back.rx.stop();
        assertFalse(offer(packet(100, 52)));
        back.rx.doWork();
        assertEquals(0, back.rx.queuedFrames());
        assertEquals(2, back.rx.counters().droppedPurged);
        assertFalse(back.rx.carrier());
    }
}
