package org.xnb.netback.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/**
 * {@link LinkFlows} on crafted frames, as a lane drives it: counters per direction, a shaped flow's
 * backlog (its frames wait in order and leave as the bucket refills, other frames never wait), a
 * removed flow's waiting frames dropped and counted, and no allocation per frame.
 */
class LinkFlowsTest {
    private final ByteBuffer memory = BufferUtil.allocateDirectAligned(2048, 64);
    private final long address = BufferUtil.address(memory);
    private final UnsafeBuffer frame = new UnsafeBuffer(memory);
    private final FrameMetadata meta = new FrameMetadata();

    /** An IPv4/UDP frame of {@code length} bytes from 198.18.0.1:7000 to 198.18.0.2:{@code dstPort}, seq at 42. */
    private int udp(int length, int dstPort, int seq) {
        frame.setMemory(0, length, (byte) 0);
        frame.putByte(12, (byte) 0x08);
        frame.putByte(13, (byte) 0x00);
        frame.putByte(14, (byte) 0x45);
        frame.putShort(16, Short.reverseBytes((short) (length - 14)));
        frame.putByte(22, (byte) 64);
        frame.putByte(23, (byte) 17);
        frame.putInt(26, Integer.reverseBytes(0xC6120001));
        frame.putInt(30, Integer.reverseBytes(0xC6120002));
        frame.putShort(34, Short.reverseBytes((short) 7000));
        frame.putShort(36, Short.reverseBytes((short) dstPort));
        frame.putShort(38, Short.reverseBytes((short) (length - 34)));
        frame.putInt(42, seq);
        return length;
    }

    private final List<Integer> sent = new ArrayList<>();
    private final FrameSink port = (a, len, m) -> sent.add(new UnsafeBuffer(a, len).getInt(42));

    private int out(LinkFlows f, int length, int dstPort, int seq) {
        return f.outbound(frame, 0, udp(length, dstPort, seq), address, meta);
    }

    @Test
    void countsEachDirectionAndOnlyMatchingFrames() {
        LinkFlows f = new LinkFlows("vif1.0");
        assertEquals(LinkFlows.PASS, out(f, 100, 5000, 0), "no flows: everything passes");
        f.add("dns", FlowSpec.parse("transport=udp,remote_port=5000"), FlowProperties.DEFAULTS);
        assertEquals(LinkFlows.PASS, out(f, 100, 5000, 1));
        assertEquals(LinkFlows.PASS, out(f, 200, 6000, 2));
        // inbound the remote port is the source: 7000 here, so no match; a flow on local_port would
        assertTrue(f.admitInbound(frame, 0, udp(300, 5000, 3)));
        var c = f.find("dns").orElseThrow().counters();
        assertEquals(List.of(1L, 100L, 0L, 0L), List.of(c.opkts(), c.obytes(), c.ipkts(), c.rbytes()));
    }

    @Test
    void aShapedFlowsFramesWaitInOrderAndOtherFramesNever() throws Exception {
        LinkFlows f = new LinkFlows("vif1.0");
        f.add("slow", FlowSpec.parse("transport=udp,remote_port=5000"), FlowProperties.DEFAULTS.setAll("maxbw=2M"));
        int passed = 0;
        int deferred = 0;
        for (int seq = 0; seq < 300; seq++) {
            int r = out(f, 1000, 5000, seq);
            passed += r == LinkFlows.PASS ? 1 : 0;
            deferred += r == LinkFlows.DEFERRED ? 1 : 0;
        }
        assertTrue(passed >= 131 && passed <= 135, passed + " passed: the bucket's burst, 128 KiB of 1000-byte frames"
                + " (and what refilled meanwhile)");
        assertEquals(300 - passed, deferred);
        assertEquals(LinkFlows.PASS, out(f, 1000, 6000, 9999), "another port never waits");
        assertTrue(f.nextReleaseNs() > 0, "the lane is told when the next frame may go");
        Thread.sleep(200); // 2 Mbit/s: 50 kB in 200 ms
        int n = f.releaseDeferred(port);
        assertTrue(n >= 45 && n <= 70, n + " frames released after 200 ms");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(passed + i, sent.get(i), "in the order the guest sent them");
        }
        assertEquals(deferred - n, f.deferred());
        var c = f.find("slow").orElseThrow().counters();
        assertEquals(passed + n, c.opkts(), "a deferred frame counts when it leaves");

        f.remove("slow");
        out(f, 100, 5000, 0); // the lane sees the change at its next frame
        assertEquals(0, f.deferred());
        assertEquals(deferred - n, f.drops(), "what waited for a removed flow is dropped and counted");
        assertEquals(-1, f.nextReleaseNs());
    }

    @Test
    void classifyingCountingAndShapingAllocateNothing() {
        LinkFlows f = new LinkFlows("vif1.0");
        f.add("a", FlowSpec.parse("transport=udp,remote_port=5000"), FlowProperties.DEFAULTS.setAll("maxbw=2M"));
        f.add("b", FlowSpec.parse("transport=udp,remote_port=5001"), FlowProperties.DEFAULTS);
        FrameSink drop = (a, len, m) -> { };
        for (int i = 0; i < 20_000; i++) { // warm up; the backlog fills, CoDel and drop-tail start
            out(f, 1000, 5000 + (i & 1), i);
            f.admitInbound(frame, 0, 1000);
            f.releaseDeferred(drop);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100_000; i++) {
                out(f, 1000, 5000 + (i & 1), i);
                f.admitInbound(frame, 0, 1000);
                f.releaseDeferred(drop);
                f.nextReleaseNs();
            }
            allocated = mx.getThreadAllocatedBytes(tid) - before;
            System.out.println("round " + round + ": " + allocated + " bytes");
        }
        assertEquals(0, allocated, "bytes allocated by 100k frames each way (third round)");
    }

    /** The gate skips the flows (and their lock) exactly while no flow exists and nothing waits. */
    @Test
    void engagedFromTheFirstAddUntilTheLaneSeesTheLastFlowGoneAndNothingWaiting() {
        LinkFlows f = new LinkFlows("vif1.0");
        assertEquals(false, f.engaged(), "no flow yet");
        f.add("slow", FlowSpec.parse("transport=udp,remote_port=5000"), FlowProperties.DEFAULTS.setAll("maxbw=2M"));
        assertEquals(true, f.engaged());
        int deferred = 0;
        for (int seq = 0; seq < 200; seq++) {
            deferred += out(f, 1400, 5000, seq) == LinkFlows.DEFERRED ? 1 : 0;
        }
        assertTrue(deferred > 0, "2 Mbit/s: most of 200 x 1400 B wait");
        f.disengageIfIdle();
        assertEquals(true, f.engaged(), "a flow exists and frames wait");
        f.remove("slow");
        f.disengageIfIdle();
        assertEquals(true, f.engaged(), "the lane has not seen the removal yet (the backlog is still there)");
        assertEquals(LinkFlows.PASS, out(f, 100, 5000, 1000)); // the lane sees it: the backlog is dropped
        f.disengageIfIdle();
        assertEquals(false, f.engaged(), "no flow, nothing waiting: frames skip the flows");
        f.add("again", FlowSpec.parse("transport=udp,remote_port=6000"), FlowProperties.DEFAULTS);
        assertEquals(true, f.engaged());
    }
}
