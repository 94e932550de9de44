package org.xnb.netback.ctrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_TOEPLITZ;
import static org.xnb.grant.netif.NetifCtrl.STATUS_INVALID_PARAMETER;
import static org.xnb.grant.netif.NetifCtrl.STATUS_SUCCESS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.CtrlRequest;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontCtrlRing.Reply;
import org.xnb.netback.GuestRule;
import org.xnb.netback.hash.ToeplitzTable;

/**
 * Each bad-input rule of the control ring (REFERENCE.md section 4 and 6, XSA-270): the request is
 * answered INVALID_PARAMETER, the settings in force do not change, no grant stays pinned; a
 * garbage {@code req_prod} stops the ring once, answering nothing.
 */
class CtrlRingBadInputTest {
    private static final int QUEUES = 4;
    private static final int UNGRANTED_REF = HarnessHost.GRANTS - 1;
    private static final int[] TABLE = {0, 1, 2, 3, 3, 2, 1, 0};

    /** A rig with algorithm Toeplitz, the standard key and an 8-entry table already set. */
    private static CtrlRig configured() {
        CtrlRig rig = new CtrlRig(QUEUES);
        rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ);
        rig.front.setKey(ToeplitzTable.standardKey());
        rig.front.setMappingSize(TABLE.length);
        rig.front.setMapping(TABLE, 0);
        List<Reply> replies = rig.exchange();
        assertEquals(4, replies.size());
        replies.forEach(r -> assertEquals(STATUS_SUCCESS, r.status(), r::toString));
        return rig;
    }

    private static void assertRefusedAndUnchanged(CtrlRig rig, int id) {
        Reply r = rig.call(id);
        assertEquals(id, r.id());
        assertEquals(STATUS_INVALID_PARAMETER, r.status(), r::toString);
        assertEquals(0, r.data());
        assertArrayEquals(TABLE, rig.selector.settings().mapping());
        assertEquals(ToeplitzTable.standard(), rig.selector.settings().key());
        assertEquals(1, rig.host.account.pinnedGrants(HarnessHost.GUEST_A), "only the ring page stays mapped");
        assertTrue(rig.fatals.isEmpty());
    }

    @Test
    void mappingPastTheTableSize() {
        try (CtrlRig rig = configured()) {
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {1}, TABLE.length));
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {1, 1}, TABLE.length - 1));
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[TABLE.length + 1], 0));
        }
    }

    /** XSA-270: offset + length wrapping around 2^32 must not pass the size check. */
    @Test
    void offsetPlusLengthWrapping() {
        try (CtrlRig rig = configured()) {
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(rig.front.mappingRef, 2, 0xffffffff));
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(rig.front.mappingRef, 0xffffffff, 1));
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(rig.front.mappingRef, 0x80000000, 0x80000000));
        }
    }

    /** A length whose byte count overflows 32 bits (0x40000000 * 4 = 0) or exceeds a page. */
    @Test
    void lengthOverAPage() {
        try (CtrlRig rig = configured()) {
            rig.front.fillMappingPage(0);
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(rig.front.mappingRef, 0x40000000, 0));
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(rig.front.mappingRef, 1025, 0));
        }
    }

    @Test
    void mappingBeforeTheSizeIsSet() {
        try (CtrlRig rig = new CtrlRig(QUEUES)) {
            Reply r = rig.call(rig.front.setMapping(new int[] {0}, 0));
            assertEquals(STATUS_INVALID_PARAMETER, r.status());
            assertEquals(0, rig.selector.settings().mappingSize());
        }
    }

    /** XSA-270: every entry must be a queue; one bad entry refuses the whole sub-table. */
    @Test
    void entriesThatAreNoQueue() {
        try (CtrlRig rig = configured()) {
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {1, 1, QUEUES}, 0));
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {QUEUES + 100}, 5));
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {0xffffffff}, 0)); // no sign games
            assertRefusedAndUnchanged(rig, rig.front.setMapping(new int[] {0x80000000}, 0));
            // the last queue is fine
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMapping(new int[] {QUEUES - 1}, 0)).status());
            assertEquals(QUEUES - 1, rig.selector.settings().mappingEntry(0));
        }
    }

    @Test
    void mappingFromABadGrant() {
        try (CtrlRig rig = configured()) {
            assertRefusedAndUnchanged(rig, rig.front.setMappingRaw(UNGRANTED_REF, 2, 0));
            assertEquals(1, rig.ctrl.counters().copyFailures);
        }
    }

    @Test
    void keyOver40Octets() {
        try (CtrlRig rig = configured()) {
            rig.front.writeKey(new byte[41]);
            assertRefusedAndUnchanged(rig, rig.front.setKeyRaw(rig.front.keyRef, 41));
            assertRefusedAndUnchanged(rig, rig.front.setKeyRaw(rig.front.keyRef, 4096));
            assertRefusedAndUnchanged(rig, rig.front.setKeyRaw(rig.front.keyRef, 0xffffffff));
        }
    }

    @Test
    void keyFromABadGrant() {
        try (CtrlRig rig = configured()) {
            assertRefusedAndUnchanged(rig, rig.front.setKeyRaw(UNGRANTED_REF, 40));
        }
    }

    /**
     * XSA-155 on the control ring: the guest rewrites the request slot while the backend copies
     * the table; the backend acts on (and answers) the request as it was read.
     */
    @Test
    void requestRewrittenDuringTheCopy() {
        HarnessGuest[] guest = new HarnessGuest[1];
        int[] slot = new int[1];
        try (CtrlRig rig = new CtrlRig(QUEUES, own -> new RewritingGrants(own, () ->
                CtrlRequest.write(guest[0].memory(), slot[0], 0x7777, NetifCtrl.TYPE_SET_HASH_MAPPING, 0, 1000, 0)))) {
            guest[0] = rig.guest;
            rig.call(rig.front.setMappingSize(8));
            slot[0] = rig.front.ring.entryOffset(rig.front.ring.requestProducer());
            int id = rig.front.setMapping(new int[] {3, 3}, 0);
            Reply r = rig.call(id);
            assertEquals(new Reply(id, NetifCtrl.TYPE_SET_HASH_MAPPING, STATUS_SUCCESS, 0), r);
            assertArrayEquals(new int[] {3, 3, 0, 0, 0, 0, 0, 0}, rig.selector.settings().mapping());
        }
    }

    /** req_prod more than a ring ahead: fatal once (queue -1), nothing answered, the ring stays stopped. */
    @Test
    void impossibleRequestCount() {
        try (CtrlRig rig = configured()) {
            int cons = rig.backRing.requestConsumer();
            rig.front.publishRequestProducer(cons + Netif.CTRL_RING_SIZE + 1);
            long answered = rig.ctrl.counters().requests;
            assertEquals(0, rig.ctrl.doWork());
            assertEquals(0, rig.ctrl.doWork());
            assertEquals(1, rig.fatals.size());
            assertEquals(GuestRule.IMPOSSIBLE_REQUEST_COUNT, rig.fatals.get(0).rule());
            assertEquals(CtrlRing.CONTROL_QUEUE, rig.fatals.get(0).queue());
            assertEquals(HarnessHost.GUEST_A, rig.fatals.get(0).domid());
            assertTrue(rig.ctrl.stopped());
            assertTrue(!rig.ctrl.finalCheckForRequests());
            assertEquals(answered, rig.ctrl.counters().requests);
            assertArrayEquals(TABLE, rig.selector.settings().mapping()); // the vif keeps its last settings
        }
    }

    /** Exactly a ring's worth outstanding is legal (and answered). */
    @Test
    void aFullRingIsNotImpossible() {
        try (CtrlRig rig = new CtrlRig(QUEUES)) {
            for (int i = 0; i < Netif.CTRL_RING_SIZE; i++) {
                rig.front.getMappingSize();
            }
            assertEquals(Netif.CTRL_RING_SIZE, rig.exchange().size());
            assertTrue(rig.fatals.isEmpty());
        }
    }

    /** A grant table that runs {@code meanwhile} (the guest's rewrite) before each copy. */
    private static final class RewritingGrants implements GrantTable {
        private final GrantTable inner;
        private final Runnable meanwhile;

        RewritingGrants(GrantTable inner, Runnable meanwhile) {
            this.inner = inner;
            this.meanwhile = meanwhile;
        }

        @Override
        public GrantMapping map(int domid, int[] refs, int count, boolean writable) {
            return inner.map(domid, refs, count, writable);
        }

        @Override
        public void unmap(GrantMapping mapping) {
            inner.unmap(mapping);
        }

        @Override
        public int copy(GrantCopyBatch batch) {
            meanwhile.run();
            return inner.copy(batch);
        }

        @Override
        public void close() {
        }
    }
}
