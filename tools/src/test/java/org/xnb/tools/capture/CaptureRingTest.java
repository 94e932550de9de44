package org.xnb.tools.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class CaptureRingTest {
    record Seen(long ts, int orig, byte[] bytes) {
    }

    static List<Seen> drainAll(CaptureRing ring) {
        List<Seen> out = new ArrayList<>();
        ring.drain((ts, orig, buf, off, len) -> {
            byte[] b = new byte[len];
            buf.getBytes(off, b);
            out.add(new Seen(ts, orig, b));
        }, Integer.MAX_VALUE);
        return out;
    }

    @Test
    void keepsSnaplenBytesAndTheOriginalLength() {
        CaptureRing ring = new CaptureRing(4, 64);
        UnsafeBuffer big = TestFrames.icmpEcho(1, 200);
        UnsafeBuffer arp = TestFrames.arpRequest();
        assertTrue(ring.offer(big, 0, big.capacity(), 111));
        assertTrue(ring.offer(arp, 0, arp.capacity(), 222));
        List<Seen> s = drainAll(ring);
        assertEquals(2, s.size());
        assertEquals(111, s.get(0).ts());
        assertEquals(242, s.get(0).orig());
        assertEquals(64, s.get(0).bytes().length);
        byte[] head = new byte[64];
        big.getBytes(0, head);
        assertArrayEquals(head, s.get(0).bytes());
        assertArrayEquals(arp.byteArray(), s.get(1).bytes());
        assertEquals(42, s.get(1).orig());
    }

    @Test
    void fullRingDropsAndCountsThenRecoversAcrossTheWrap() {
        CaptureRing ring = new CaptureRing(4, 128);
        for (int i = 0; i < 6; i++) {
            UnsafeBuffer f = TestFrames.icmpEcho(i, 10);
            assertEquals(i < 4, ring.offer(f, 0, f.capacity(), i));
        }
        assertEquals(2, ring.dropped());
        assertEquals(4, ring.backlog());
        List<Seen> first = drainAll(ring);
        assertEquals(List.of(0L, 1L, 2L, 3L), first.stream().map(Seen::ts).toList());
        for (int i = 10; i < 17; i++) { // wraps the slot index twice over
            UnsafeBuffer f = TestFrames.icmpEcho(i, 10);
            assertTrue(ring.offer(f, 0, f.capacity(), i));
            Seen s = drainAll(ring).get(0);
            assertEquals(i, s.ts());
            assertArrayEquals(f.byteArray(), s.bytes());
        }
        assertEquals(2, ring.dropped());
        assertEquals(11, ring.offered());
    }

    @Test
    void drainHonoursItsLimit() {
        CaptureRing ring = new CaptureRing(8, 64);
        UnsafeBuffer f = TestFrames.arpRequest();
        for (int i = 0; i < 5; i++) {
            ring.offer(f, 0, f.capacity(), i);
        }
        assertEquals(3, ring.drain((a, b, c, d, e) -> { }, 3));
        assertEquals(2, ring.backlog());
    }

    @Test
    void closedRingCapturesNothingAndCountsNoLoss() {
        CaptureRing ring = new CaptureRing(2, 64);
        ring.close();
        UnsafeBuffer f = TestFrames.arpRequest();
        assertFalse(ring.offer(f, 0, f.capacity(), 1));
        assertEquals(0, ring.dropped());
        assertEquals(0, ring.offered());
    }

    @Test
    void offerAllocatesNothing() {
        CaptureRing ring = new CaptureRing(1024, 1518);
        UnsafeBuffer f = TestFrames.icmpEcho(1, 1000);
        CaptureRing.FrameHandler sink = (a, b, c, d, e) -> { };
        for (int i = 0; i < 200_000; i++) { // warm up: JIT compiled, no first-call allocations
            ring.offer(f, 0, f.capacity(), i);
            ring.drain(sink, 64);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            ring.offer(f, 0, f.capacity(), i);
            ring.offer(f, 0, f.capacity(), i);
            ring.drain(sink, 64);
        }
        long after = mx.getThreadAllocatedBytes(tid);
        assertEquals(0, after - before, "bytes allocated by 200k offers and their drains");
    }

    @Test
    void refusesBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new CaptureRing(3, 64));
        assertThrows(IllegalArgumentException.class, () -> new CaptureRing(4, 10));
    }
}
