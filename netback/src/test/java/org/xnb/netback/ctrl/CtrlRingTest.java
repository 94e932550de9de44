package org.xnb.netback.ctrl;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_NONE;
import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_TOEPLITZ;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV6_TCP;
import static org.xnb.grant.netif.NetifCtrl.STATUS_INVALID_PARAMETER;
import static org.xnb.grant.netif.NetifCtrl.STATUS_NOT_SUPPORTED;
import static org.xnb.grant.netif.NetifCtrl.STATUS_SUCCESS;

import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontCtrlRing.Reply;
import org.xnb.netback.hash.HashSettings;
import org.xnb.netback.hash.ToeplitzTable;

/** The control ring request by request: the bytes on the ring, the statuses, the settings that result. */
class CtrlRingTest {

    private static Reply reply(int id, int type, int status, int data) {
        return new Reply(id, type, status, data);
    }

    /** The response slot and rsp_prod at netif.h's / ring.h's offsets in the guest's ring page. */
    @Test
    void responseBytesOnTheRing() {
        try (CtrlRig rig = new CtrlRig(4)) {
            rig.front.post(NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0);
            rig.front.post(NetifCtrl.TYPE_GET_HASH_FLAGS, 0, 0, 0);
            rig.front.push();
            assertEquals(2, rig.ctrl.doWork());
            AtomicBuffer page = rig.guest.memory();
            assertEquals(2, page.getInt(8, LITTLE_ENDIAN)); // rsp_prod
            int slot0 = 64;
            assertEquals(0, page.getShort(slot0, LITTLE_ENDIAN));
            assertEquals(NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE, page.getShort(slot0 + 2, LITTLE_ENDIAN));
            assertEquals(STATUS_SUCCESS, page.getInt(slot0 + 4, LITTLE_ENDIAN));
            assertEquals(128, page.getInt(slot0 + 8, LITTLE_ENDIAN));
            int slot1 = 64 + Netif.CTRL_SLOT_BYTES;
            assertEquals(1, page.getShort(slot1, LITTLE_ENDIAN));
            assertEquals(NetifCtrl.TYPE_GET_HASH_FLAGS, page.getShort(slot1 + 2, LITTLE_ENDIAN));
            assertEquals(STATUS_NOT_SUPPORTED, page.getInt(slot1 + 4, LITTLE_ENDIAN));
            assertEquals(0, page.getInt(slot1 + 8, LITTLE_ENDIAN));
            assertEquals(List.of(reply(0, 4, STATUS_SUCCESS, 128), reply(1, 1, STATUS_NOT_SUPPORTED, 0)),
                    rig.front.responses());
        }
    }

    @Test
    void algorithm() {
        try (CtrlRig rig = new CtrlRig(4)) {
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ)).status());
            assertEquals(HASH_ALGORITHM_TOEPLITZ, rig.selector.settings().algorithm());
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setAlgorithm(2)).status());
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setAlgorithm(-1)).status());
            assertEquals(HASH_ALGORITHM_TOEPLITZ, rig.selector.settings().algorithm());
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setAlgorithm(HASH_ALGORITHM_NONE)).status());
            assertEquals(HASH_ALGORITHM_NONE, rig.selector.settings().algorithm());
        }
    }

    /** GET_HASH_FLAGS: NOT_SUPPORTED until an algorithm is chosen, then all four types. */
    @Test
    void getFlags() {
        try (CtrlRig rig = new CtrlRig(4)) {
            int id = rig.front.getFlags();
            assertEquals(reply(id, NetifCtrl.TYPE_GET_HASH_FLAGS, STATUS_NOT_SUPPORTED, 0), rig.call(id));
            rig.call(rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ));
            id = rig.front.getFlags();
            assertEquals(reply(id, NetifCtrl.TYPE_GET_HASH_FLAGS, STATUS_SUCCESS, 0xf), rig.call(id));
        }
    }

    /** SET_HASH_FLAGS: INVALID_PARAMETER with algorithm NONE or an unknown bit. */
    @Test
    void setFlags() {
        try (CtrlRig rig = new CtrlRig(4)) {
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setFlags(HASH_TYPE_IPV4)).status());
            rig.call(rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ));
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setFlags(0x10 | HASH_TYPE_IPV4)).status());
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setFlags(0x80000000)).status());
            assertEquals(0, rig.selector.settings().flags());
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setFlags(HASH_TYPE_IPV4 | HASH_TYPE_IPV6_TCP)).status());
            assertEquals(HASH_TYPE_IPV4 | HASH_TYPE_IPV6_TCP, rig.selector.settings().flags());
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setFlags(0)).status());
            assertEquals(0, rig.selector.settings().flags());
        }
    }

    /** SET_HASH_KEY: copied from the start of the grant, the octets past its length zero. */
    @Test
    void setKey() {
        try (CtrlRig rig = new CtrlRig(4)) {
            byte[] key = ToeplitzTable.standardKey();
            int id = rig.front.setKey(key);
            assertEquals(reply(id, NetifCtrl.TYPE_SET_HASH_KEY, STATUS_SUCCESS, 0), rig.call(id));
            assertArrayEquals(key, rig.selector.settings().key().key());
            assertEquals(ToeplitzTable.standard(), rig.selector.settings().key());

            byte[] shorter = {1, 2, 3, 4, 5};
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setKey(shorter)).status());
            assertArrayEquals(Arrays.copyOf(shorter, 40), rig.selector.settings().key().key());

            // "specifying a key size of zero will clear the key"
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setKeyRaw(rig.front.keyRef, 0)).status());
            assertArrayEquals(new byte[40], rig.selector.settings().key().key());
            assertEquals(0, rig.host.account.pinnedGrants(HarnessHost.GUEST_A) - 1); // only the ring stays
        }
    }

    /** GET_HASH_MAPPING_SIZE is 128 whatever the algorithm; SET_HASH_MAPPING_SIZE up to 128, zero-filled. */
    @Test
    void mappingSize() {
        try (CtrlRig rig = new CtrlRig(4)) {
            int id = rig.front.getMappingSize();
            assertEquals(reply(id, NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE, STATUS_SUCCESS, 128), rig.call(id));
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMappingSize(128)).status());
            assertEquals(128, rig.selector.settings().mappingSize());
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setMappingSize(129)).status());
            assertEquals(STATUS_INVALID_PARAMETER, rig.call(rig.front.setMappingSize(-1)).status());
            assertEquals(128, rig.selector.settings().mappingSize());

            int[] entries = new int[8];
            Arrays.fill(entries, 3);
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMapping(entries, 0)).status());
            assertEquals(3, rig.selector.settings().mappingEntry(7));
            // a new size invalidates the table: zeros
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMappingSize(16)).status());
            assertArrayEquals(new int[16], rig.selector.settings().mapping());
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMappingSize(0)).status());
            assertEquals(0, rig.selector.settings().mappingSize());
        }
    }

    /** SET_HASH_MAPPING: a sub-table at an offset leaves the rest of the table as it was. */
    @Test
    void setMapping() {
        try (CtrlRig rig = new CtrlRig(4)) {
            rig.call(rig.front.setMappingSize(8));
            int id = rig.front.setMapping(new int[] {0, 1, 2, 3, 3, 2, 1, 0}, 0);
            assertEquals(reply(id, NetifCtrl.TYPE_SET_HASH_MAPPING, STATUS_SUCCESS, 0), rig.call(id));
            assertArrayEquals(new int[] {0, 1, 2, 3, 3, 2, 1, 0}, rig.selector.settings().mapping());
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMapping(new int[] {2, 2}, 6)).status());
            assertArrayEquals(new int[] {0, 1, 2, 3, 3, 2, 2, 2}, rig.selector.settings().mapping());
            // length 0 anywhere inside: nothing to copy, SUCCESS
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMappingRaw(rig.front.mappingRef, 0, 8)).status());
            assertArrayEquals(new int[] {0, 1, 2, 3, 3, 2, 2, 2}, rig.selector.settings().mapping());
        }
    }

    /** Types the backend does not implement, INVALID (0) and unknown ones: NOT_SUPPORTED, id and type echoed. */
    @Test
    void otherTypesAreNotSupported() {
        try (CtrlRig rig = new CtrlRig(4)) {
            int[] types = {NetifCtrl.TYPE_INVALID, NetifCtrl.TYPE_GET_GREF_MAPPING_SIZE, NetifCtrl.TYPE_ADD_GREF_MAPPING,
                NetifCtrl.TYPE_DEL_GREF_MAPPING, 11, 0xffff};
            for (int type : types) {
                int id = rig.front.post(type, 1, 2, 3);
                assertEquals(reply(id, type, STATUS_NOT_SUPPORTED, 0), rig.call(id));
            }
            assertEquals(6, rig.ctrl.counters().notSupported);
            assertSame(HashSettings.DEFAULT, rig.selector.settings()); // nothing published
        }
    }

    /**
     * A full ring of requests in one push: all answered by one doWork, in order, one settings
     * snapshot published, one kick; then idle: doWork does nothing and req_event is re-armed.
     */
    @Test
    void aFullRingInOneCall() {
        try (CtrlRig rig = new CtrlRig(4)) {
            rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ);
            rig.front.setMappingSize(128);
            for (int i = 2; i < Netif.CTRL_RING_SIZE; i++) {
                if (i % 2 == 0) {
                    rig.front.setMapping(new int[] {1}, i); // one mapping page: every request sees 1
                } else {
                    rig.front.getMappingSize();
                }
            }
            rig.front.push();
            assertEquals(Netif.CTRL_RING_SIZE, rig.ctrl.doWork());
            List<Reply> replies = rig.front.responses();
            assertEquals(Netif.CTRL_RING_SIZE, replies.size());
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(i, replies.get(i).id());
                assertEquals(STATUS_SUCCESS, replies.get(i).status());
            }
            assertEquals(1, rig.ctrl.counters().published);
            assertEquals(1, rig.host.account.notificationsSent(HarnessHost.BACKEND, rig.localPort));
            assertEquals(1, rig.selector.settings().mappingEntry(2));
            assertEquals(0, rig.selector.settings().mappingEntry(3));
            assertEquals(1, rig.selector.settings().mappingEntry(126));
            assertEquals(0, rig.ctrl.doWork());
            assertTrue(!rig.ctrl.finalCheckForRequests());
            assertEquals(Netif.CTRL_RING_SIZE + 1, rig.guest.memory().getInt(4, LITTLE_ENDIAN)); // req_event
            // the ring keeps going past the wrap
            int id = rig.front.getMappingSize();
            assertEquals(reply(id, NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE, STATUS_SUCCESS, 128), rig.call(id));
        }
    }
}
