package org.xnb.netback.ctrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontCtrlRing.Reply;
import org.xnb.netback.hash.HashSettings;

/**
 * Random control-ring traffic (any type, data biased towards the edges, any gref, random key and
 * table pages, random batch sizes): nothing throws, every request is answered once with its id and
 * type and a known status, the settings in force never name a queue that does not exist and never
 * exceed 128 entries or 40 key octets, and no grant stays pinned but the ring.
 */
class CtrlRingFuzzTest {
    private static final int QUEUES = 3;
    private static final int[] EDGES = {0, 1, 2, 3, 4, 7, 8, 15, 40, 41, 127, 128, 129, 1023, 1024, 1025, 4096,
        0x40000000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};

    @Test
    void randomTrafficIsAlwaysAnsweredAndNeverBreaksTheSettings() {
        qt().withExamples(60).withShrinkCycles(30).forAll(longs().all(), integers().between(1, 400)).checkAssert((seed, count) -> {
            Random r = new Random(seed);
            try (CtrlRig rig = new CtrlRig(QUEUES)) {
                int sent = 0;
                while (sent < count) {
                    int batch = Math.min(count - sent, 1 + r.nextInt(Netif.CTRL_RING_SIZE));
                    int firstId = sent & 0xffff;
                    int[] types = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        if (r.nextInt(4) == 0) {
                            rig.front.fillMappingPage(r.nextInt(QUEUES + 1));
                        }
                        byte[] key = new byte[48];
                        r.nextBytes(key);
                        rig.front.writeKey(key);
                        types[i] = r.nextInt(12);
                        rig.front.post(types[i], value(r, rig), value(r, rig), value(r, rig));
                    }
                    List<Reply> replies = rig.exchange();
                    assertEquals(batch, replies.size());
                    for (int i = 0; i < batch; i++) {
                        Reply reply = replies.get(i);
                        assertEquals((firstId + i) & 0xffff, reply.id());
                        assertEquals(types[i], reply.type());
                        assertTrue(reply.status() >= NetifCtrl.STATUS_SUCCESS
                                && reply.status() <= NetifCtrl.STATUS_INVALID_PARAMETER, reply::toString);
                    }
                    sent += batch;
                    HashSettings s = rig.selector.settings();
                    assertTrue(s.mappingSize() <= CtrlRing.MAX_MAPPING_SIZE);
                    for (int q : s.mapping()) {
                        assertTrue(q >= 0 && q < QUEUES, () -> "queue " + q);
                    }
                    assertEquals(40, s.key().key().length);
                }
                assertTrue(rig.fatals.isEmpty());
                assertEquals((long) count, rig.ctrl.counters().requests);
                assertEquals(1, rig.host.account.pinnedGrants(HarnessHost.GUEST_A));
            }
        });
    }

    private static int value(Random r, CtrlRig rig) {
        switch (r.nextInt(4)) {
            case 0:
                return EDGES[r.nextInt(EDGES.length)];
            case 1:
                return r.nextInt();
            case 2:
                return r.nextBoolean() ? rig.front.keyRef : rig.front.mappingRef;
            default:
                return r.nextInt(QUEUES + 2);
        }
    }
}
