package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.netfront.Packets.packet;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;

/**
 * One test per Tx rule of REFERENCE.md section 6 (Linux xen-netback's checks). Guest A misbehaves;
 * guest B, served by its own engine on the same host, must keep working after every fatal error.
 */
class TxGuestRulesTest {
    private HarnessHost host;
    private MockNetfront front;
    private MockNetfront other;
    private BackendQueue back;
    private BackendQueue otherBack;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        other = new MockNetfront(host, HarnessHost.GUEST_B);
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        otherBack = new BackendQueue(host, other, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        if (back != null) {
            back.close();
        }
        if (otherBack != null) {
            otherBack.close();
        }
        front.close();
        other.close();
        host.close();
    }

    // ---------------------------------------------------------------- fatal

    @Test
    void impossibleNumberOfRequestsIsFatal() {
        front.memory.putIntVolatile(HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME)
                + SharedRingDescriptor.REQ_PROD_OFFSET, Netif.TX_RING_SIZE + 1);
        assertFatal(GuestRule.IMPOSSIBLE_REQUEST_COUNT, 0);
    }

    @Test
    void extraInfoFlagWithNoRequestLeftIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.pushTx();
        assertFatal(GuestRule.MISSING_EXTRA_INFO, 1);
    }

    @Test
    void extraMoreFlagRunningPastTheRequestsIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.postGso(ExtraInfo.FLAG_MORE, 1448, ExtraInfo.GSO_TYPE_TCPV4);
        front.pushTx();
        assertFatal(GuestRule.MISSING_EXTRA_INFO, 2);
    }

    @Test
    void extraTypeZeroIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.postRawExtra(0L);
        front.pushTx();
        assertFatal(GuestRule.INVALID_EXTRA_TYPE, 2);
    }

    @Test
    void extraTypeAtOrAboveMaxIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.postRawExtra(ExtraInfo.TYPE_MAX);
        front.pushTx();
        assertFatal(GuestRule.INVALID_EXTRA_TYPE, 2);
    }

    @Test
    void moreDataPastTheAvailableRequestsIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 200);
        front.postTx(front.txRef(1), 0, NetTxFlags.MORE_DATA, 2, 100);
        front.pushTx();
        assertFatal(GuestRule.SLOTS_EXCEED_AVAILABLE, 1);
    }

    @Test
    void twentyOneFragmentsAreFatal() {
        postSlots(22, 30);
        front.pushTx();
        assertFatal(GuestRule.FATAL_SLOT_COUNT, 1);
    }

    @Test
    void fragmentCrossingThePageIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 300);
        front.postTx(front.txRef(1), 4000, 0, 2, 200);
        front.pushTx();
        assertFatal(GuestRule.SLOT_CROSSES_PAGE, 1);
    }

    @Test
    void firstSlotCrossingThePageIsFatal() {
        front.postTx(front.txRef(0), 4000, 0, 1, 200);
        front.pushTx();
        assertFatal(GuestRule.SLOT_CROSSES_PAGE, 1);
    }

    @Test
    void gsoSizeZeroIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.postGso(0, 0, ExtraInfo.GSO_TYPE_TCPV4);
        front.pushTx();
        assertFatal(GuestRule.GSO_SIZE_ZERO, 2);
    }

    @Test
    void unknownGsoTypeIsFatal() {
        front.postTx(front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        front.postGso(0, 1448, 3);
        front.pushTx();
        assertFatal(GuestRule.GSO_TYPE_UNKNOWN, 2);
    }

    @Test
    void packetsCheckedBeforeTheFatalOneAreStillDeliveredAndAnswered() {
        byte[] good = packet(80, 1);
        int id = front.postPacket(good);
        front.postTx(front.txRef(5), 4000, 0, 99, 200);
        front.pushTx();
        back.tx.doWork();
        assertTrue(back.tx.stopped());
        assertArrayEquals(good, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(1, rsp.size(), "the fatal packet itself is not answered");
        assertArrayEquals(new int[] {id, Netif.RSP_OKAY}, rsp.get(0));
    }

    @Test
    void afterAFatalErrorClosingTheQueueLeavesNoPinsMappingsOrPorts() {
        front.postPacket(packet(5000, 3), 0, new int[] {3000, 2000});
        front.postTx(front.txRef(9), 0, NetTxFlags.EXTRA_INFO, 50, 64);
        front.postRawExtra(0L);
        front.pushTx();
        back.tx.doWork();
        assertTrue(back.tx.stopped());
        assertEquals(1, back.frames.size(), "the packet before the fatal one was delivered");
        back.close();
        back = null;
        otherBack.close();
        otherBack = null;
        assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A));
        assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_B));
        assertEquals(0, host.account.mappedPages(HarnessHost.BACKEND));
        assertEquals(0, host.account.boundPorts(HarnessHost.BACKEND));
    }

    // ---------------------------------------------------------------- dropped with RSP_ERROR

    @Test
    void nineteenAndTwentyFragmentsAreDroppedWithErrorsButEighteenAreAccepted() {
        int[] ids18 = postSlots(19, 30);
        front.pushTx();
        back.tx.doWork();
        assertAnswered(front.txResponses(), ids18, Netif.RSP_OKAY, 0);
        assertEquals(1, back.frames.size());

        for (int slots = 20; slots <= 21; slots++) {
            int[] ids = postSlots(slots, 30);
            front.pushTx();
            back.tx.doWork();
            assertAnswered(front.txResponses(), ids, Netif.RSP_ERROR, 0);
        }
        assertEquals(2, back.tx.counters().errors(GuestRule.TOO_MANY_SLOTS));
        assertStillServing();
    }

    @Test
    void fragmentLargerThanTheRemainingSizeIsDropped() {
        front.postTx(front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 100);
        front.postTx(front.txRef(1), 0, 0, 2, 200);
        front.pushTx();
        back.tx.doWork();
        assertAnswered(front.txResponses(), new int[] {1, 2}, Netif.RSP_ERROR, 0);
        assertEquals(1, back.tx.counters().errors(GuestRule.SLOT_LARGER_THAN_REMAINING));
        assertStillServing();
    }

    @Test
    void packetShorterThanAnEthernetHeaderIsDropped() {
        front.postTx(front.txRef(0), 0, 0, 1, 13);
        front.pushTx();
        back.tx.doWork();
        assertAnswered(front.txResponses(), new int[] {1}, Netif.RSP_ERROR, 0);
        assertEquals(1, back.tx.counters().errors(GuestRule.PACKET_TOO_SHORT));
        assertStillServing();
    }

    @Test
    void firstSlotShorterThanAnEthernetHeaderIsDroppedWithItsFragmentsAndExtras() {
        front.postTx(front.txRef(0), 0, NetTxFlags.MORE_DATA | NetTxFlags.EXTRA_INFO, 1, 100);
        front.postGso(0, 1448, ExtraInfo.GSO_TYPE_TCPV4);
        front.postTx(front.txRef(1), 0, 0, 2, 90);
        front.pushTx();
        back.tx.doWork();
        List<int[]> rsp = front.txResponses();
        assertEquals(3, rsp.size());
        assertArrayEquals(new int[] {1, Netif.RSP_ERROR}, rsp.get(0));
        assertEquals(Netif.RSP_NULL, rsp.get(1)[1]);
        assertArrayEquals(new int[] {2, Netif.RSP_ERROR}, rsp.get(2));
        assertEquals(1, back.tx.counters().errors(GuestRule.PACKET_TOO_SHORT));
        assertStillServing();
    }

    @Test
    void failedGrantCopyAnswersEverySlotWithAnError() {
        int ungranted = HarnessHost.GRANTS - 1;
        front.postTx(front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 300);
        front.postTx(ungranted, 0, NetTxFlags.MORE_DATA, 2, 100);
        front.postTx(front.txRef(2), 0, 0, 3, 100);
        front.pushTx();
        back.tx.doWork();
        assertAnswered(front.txResponses(), new int[] {1, 2, 3}, Netif.RSP_ERROR, 0);
        assertTrue(back.frames.isEmpty());
        assertEquals(1, back.tx.counters().errors(GuestRule.GRANT_COPY_FAILED));
        assertStillServing();
    }

    @Test
    void sixtyFifthMulticastAddressIsAnsweredWithAnError() {
        for (int i = 0; i < MulticastList.MAX + 1; i++) {
            front.postTx(0, 0, NetTxFlags.EXTRA_INFO, 1000 + i, 0);
            front.postMcast(ExtraInfo.TYPE_MCAST_ADD, 0, 0x01005e000000L + i);
        }
        front.pushTx();
        back.tx.doWork();
        List<int[]> rsp = front.txResponses();
        assertEquals(2 * (MulticastList.MAX + 1), rsp.size());
        for (int i = 0; i < MulticastList.MAX; i++) {
            assertArrayEquals(new int[] {1000 + i, Netif.RSP_OKAY}, rsp.get(2 * i));
        }
        assertArrayEquals(new int[] {1000 + MulticastList.MAX, Netif.RSP_ERROR}, rsp.get(2 * MulticastList.MAX));
        assertEquals(MulticastList.MAX, back.multicast.size());
        assertFalse(back.multicast.contains(0x01005e000000L + MulticastList.MAX));
        assertEquals(1, back.tx.counters().errors(GuestRule.MULTICAST_LIST_FULL));
        assertStillServing();
    }

    // ---------------------------------------------------------------- XSA-155

    @Test
    void xsa155RequestsRewrittenAfterTheyWereCopiedChangeNothing() {
        GrantTable real = host.hypervisor.openGrantTable();
        RewritingGrantTable rewriting = new RewritingGrantTable(real, front);
        back.close();
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM, rewriting);
        byte[] p = packet(5000, 9);
        int[] ids = front.postPacket(p, 0, new int[] {2000, 3000});
        front.pushTx();

        back.tx.doWork();

        assertTrue(rewriting.rewrote);
        assertFalse(back.tx.stopped());
        assertArrayEquals(p, back.frames.get(0).bytes());
        List<int[]> rsp = front.txResponses();
        assertEquals(2, rsp.size());
        assertEquals(ids[0], rsp.get(0)[0]);
        assertEquals(ids[1], rsp.get(1)[0]);
    }

    /** Rewrites every Tx slot (bigger sizes, page-crossing offsets, bad refs) during the grant copy. */
    private static final class RewritingGrantTable implements GrantTable {
        private final GrantTable delegate;
        private final MockNetfront front;
        boolean rewrote;

        RewritingGrantTable(GrantTable delegate, MockNetfront front) {
            this.delegate = delegate;
            this.front = front;
        }

        @Override
        public GrantMapping map(int domid, int[] refs, int count, boolean writable) {
            return delegate.map(domid, refs, count, writable);
        }

        @Override
        public void unmap(GrantMapping mapping) {
            delegate.unmap(mapping);
        }

        @Override
        public int copy(GrantCopyBatch batch) {
            int base = HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME) + SharedRingDescriptor.ENTRIES_OFFSET;
            for (int i = 0; i < Netif.TX_RING_SIZE; i++) {
                front.memory.putLong(base + i * Netif.TX_SLOT_BYTES, 0xfff0_ffff_0000_7777L);
                front.memory.putInt(base + i * Netif.TX_SLOT_BYTES + 8, 0xffff_4444);
            }
            rewrote = true;
            return delegate.copy(batch);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Posts a packet of {@code slots} slots of {@code fragBytes} bytes each (first slot too). */
    private int[] postSlots(int slots, int fragBytes) {
        int[] sizes = new int[slots];
        java.util.Arrays.fill(sizes, fragBytes);
        return front.postPacket(packet(slots * fragBytes, slots), 0, sizes);
    }

    private static void assertAnswered(List<int[]> rsp, int[] ids, int status, int extras) {
        assertEquals(ids.length + extras, rsp.size(), "responses");
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(new int[] {ids[i], status}, rsp.get(i), "response " + i);
        }
    }

    /** The fatal rule is reported once, the engine stops for good, guest B keeps working. */
    private void assertFatal(GuestRule rule, int consumedAtLeast) {
        back.tx.doWork();
        assertTrue(back.tx.stopped());
        assertEquals(1, back.fatals.size());
        assertEquals(rule, back.fatals.get(0).rule());
        assertEquals(HarnessHost.GUEST_A, back.fatals.get(0).domid());
        assertEquals(1, back.tx.counters().errors(rule));
        assertTrue(back.txRing.requestConsumer() >= consumedAtLeast);
        assertTrue(back.frames.isEmpty());
        // stays stopped, reported once, even with more work on its ring
        front.postPacket(packet(64, 1));
        front.pushTx();
        assertEquals(0, back.tx.doWork());
        assertEquals(1, back.fatals.size());
        assertTrue(back.frames.isEmpty());
        // the other guest is unaffected
        byte[] p = packet(1000, 42);
        int id = other.postPacket(p);
        other.pushTx();
        otherBack.tx.doWork();
        assertArrayEquals(p, otherBack.frames.get(0).bytes());
        assertArrayEquals(new int[] {id, Netif.RSP_OKAY}, other.txResponses().get(0));
    }

    /** After a non-fatal drop the same guest's next packet goes through. */
    private void assertStillServing() {
        assertFalse(back.tx.stopped());
        assertTrue(back.fatals.isEmpty());
        byte[] p = packet(500, 77);
        int id = front.postPacket(p);
        front.pushTx();
        back.tx.doWork();
        assertArrayEquals(p, back.frames.get(back.frames.size() - 1).bytes());
        assertArrayEquals(new int[] {id, Netif.RSP_OKAY}, front.txResponses().get(0));
        assertEquals(back.txRing.requestConsumer(), back.txRing.responseProducer(), "every slot answered");
    }
}
