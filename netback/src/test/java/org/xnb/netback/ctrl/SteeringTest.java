package org.xnb.netback.ctrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_TOEPLITZ;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4;
import static org.xnb.grant.netif.NetifCtrl.HASH_TYPE_IPV4_TCP;
import static org.xnb.grant.netif.NetifCtrl.STATUS_SUCCESS;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.harness.netfront.NetfrontCtrlRing.Reply;
import org.xnb.netback.hash.FrameHash;
import org.xnb.netback.hash.QueueSelector;
import org.xnb.netback.hash.TestFrames;
import org.xnb.netback.hash.ToeplitzReference;
import org.xnb.netback.hash.ToeplitzTable;

/**
 * Steering frames to queues: without a control ring a default flow hash; with the guest's
 * Toeplitz settings (set over the harness control ring) {@code mapping[hash % size]}, the hash
 * computed independently with netif.h's reference code. Frames of one flow always reach the same
 * queue; changing the mapping moves them.
 */
class SteeringTest {
    private static final int QUEUES = 4;
    private static final int FLOWS = 256;
    private static final String SERVER = "198.18.0.254";

    private final TestFrames.Native mem = new TestFrames.Native();
    private final byte[] key = ToeplitzTable.standardKey();

    private static String client(int flow) {
        return "198.18." + (1 + flow / 200) + "." + (1 + flow % 200);
    }

    private static int port(int flow) {
        return 10000 + flow * 7;
    }

    private int queueOf(QueueSelector selector, int flow, int protocol, int payloadSeed) {
        byte[] f = TestFrames.ipv4(client(flow), SERVER, protocol, port(flow), 80);
        f[f.length - 1] = (byte) payloadSeed; // other bytes of the frame do not matter
        return selector.select(mem.put(f), f.length);
    }

    /** netif.h's reference hash over the flow's IPv4+TCP tuple. */
    private int referenceHash(int flow) {
        byte[] tuple = TestFrames.tuple(client(flow), SERVER, port(flow), 80, true);
        return ToeplitzReference.hash(key, key.length, tuple, 0, tuple.length);
    }

    @Test
    void withoutAControlRingFlowsSpreadAndStay() {
        QueueSelector selector = new QueueSelector(QUEUES);
        int[] perQueue = new int[QUEUES];
        for (int flow = 0; flow < FLOWS; flow++) {
            int q = queueOf(selector, flow, TestFrames.TCP, 0);
            for (int again = 1; again < 5; again++) {
                assertEquals(q, queueOf(selector, flow, TestFrames.TCP, again), "flow " + flow);
            }
            perQueue[q]++;
        }
        for (int q = 0; q < QUEUES; q++) {
            assertTrue(perQueue[q] >= FLOWS / QUEUES / 2, () -> "uneven spread " + Arrays.toString(perQueue));
        }
        // UDP flows are spread by their ports too
        int[] udp = new int[QUEUES];
        for (int flow = 0; flow < FLOWS; flow++) {
            udp[queueOf(selector, flow, TestFrames.UDP, 0)]++;
        }
        assertTrue(Arrays.stream(udp).allMatch(n -> n > 0), () -> Arrays.toString(udp));
        assertEquals(0, new QueueSelector(1).select(mem.put(TestFrames.ipv4(SERVER, SERVER, 6, 1, 2)), 54));
    }

    @Test
    void theGuestsMappingSteersAndChangingItMovesFlows() {
        try (CtrlRig rig = new CtrlRig(QUEUES)) {
            int[] table = new int[128];
            for (int i = 0; i < table.length; i++) {
                table[i] = (i * 7) % QUEUES;
            }
            rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ);
            rig.front.setFlags(HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP);
            rig.front.setKey(key);
            rig.front.setMappingSize(table.length);
            rig.front.setMapping(table, 0);
            List<Reply> replies = rig.exchange();
            assertEquals(5, replies.size());
            replies.forEach(r -> assertEquals(STATUS_SUCCESS, r.status()));

            for (int flow = 0; flow < FLOWS; flow++) {
                int expected = table[Integer.remainderUnsigned(referenceHash(flow), table.length)];
                for (int again = 0; again < 3; again++) {
                    assertEquals(expected, queueOf(rig.selector, flow, TestFrames.TCP, again), "flow " + flow);
                }
            }

            // one flow's table entry moves that flow (and only the flows sharing its entry)
            int moved = 17;
            int index = Integer.remainderUnsigned(referenceHash(moved), table.length);
            int target = (table[index] + 1) % QUEUES;
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMapping(new int[] {target}, index)).status());
            for (int flow = 0; flow < FLOWS; flow++) {
                int i = Integer.remainderUnsigned(referenceHash(flow), table.length);
                int expected = i == index ? target : table[i];
                assertEquals(expected, queueOf(rig.selector, flow, TestFrames.TCP, 0), "flow " + flow);
            }

            // the whole table to queue 2: every flow there
            Arrays.fill(table, 2);
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMapping(table, 0)).status());
            for (int flow = 0; flow < FLOWS; flow++) {
                assertEquals(2, queueOf(rig.selector, flow, TestFrames.TCP, 0));
            }

            // no table: hash % queues
            assertEquals(STATUS_SUCCESS, rig.call(rig.front.setMappingSize(0)).status());
            for (int flow = 0; flow < FLOWS; flow++) {
                assertEquals(Integer.remainderUnsigned(referenceHash(flow), QUEUES),
                        queueOf(rig.selector, flow, TestFrames.TCP, 0));
            }
        }
    }

    /** Frames no flag covers get hash 0, as in Linux: mapping[0]. */
    @Test
    void framesTheFlagsDoNotCoverGoToEntryZero() {
        try (CtrlRig rig = new CtrlRig(QUEUES)) {
            rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ);
            rig.front.setFlags(HASH_TYPE_IPV4_TCP);
            rig.front.setKey(key);
            rig.front.setMappingSize(4);
            rig.front.setMapping(new int[] {3, 0, 1, 2}, 0);
            rig.exchange();
            for (int flow = 0; flow < 32; flow++) {
                assertEquals(3, queueOf(rig.selector, flow, TestFrames.UDP, 0));
            }
            long tcp = mem.put(TestFrames.ipv4(client(5), SERVER, TestFrames.TCP, port(5), 80));
            assertEquals(referenceHash(5), FrameHash.value(rig.selector.guestHash(tcp, 54)));
        }
    }

    /** select() on the data path allocates nothing. */
    @Test
    void selectAllocatesNothing() {
        try (CtrlRig rig = new CtrlRig(QUEUES)) {
            rig.front.setAlgorithm(HASH_ALGORITHM_TOEPLITZ);
            rig.front.setFlags(HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP);
            rig.front.setKey(key);
            rig.front.setMappingSize(128);
            rig.exchange();
            byte[] f = TestFrames.ipv4(client(1), SERVER, TestFrames.TCP, port(1), 80);
            long a = mem.put(f);
            QueueSelector toeplitz = rig.selector;
            QueueSelector spread = new QueueSelector(QUEUES);
            int sink = 0;
            for (int i = 0; i < 20_000; i++) { // warm up
                sink += toeplitz.select(a, f.length) + spread.select(a, f.length);
            }
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                mem.buffer.putByte(30, (byte) i); // a different flow each time
                sink += toeplitz.select(a, f.length) + spread.select(a, f.length);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes (sink " + sink + ")");
        }
    }
}
