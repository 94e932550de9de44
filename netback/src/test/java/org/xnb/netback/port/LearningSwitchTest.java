package org.xnb.netback.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;

/** Forwarding, flooding, learning and detaching of the in-process switch, with recording vifs. */
class LearningSwitchTest {
    static final long MAC_A = 0x0016_3e00_0500L;
    static final long MAC_B = 0x0016_3e00_0600L;
    static final long MAC_C = 0x0016_3e00_0700L;

    private final LearningSwitch sw = new LearningSwitch();
    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final FrameMetadata meta = new FrameMetadata();

    /** A vif that records the frames it receives. */
    static final class Recorder implements FrameSink {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        final List<Integer> gso = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(long address, int length, FrameMetadata metadata) {
            byte[] b = new byte[length];
            new UnsafeBuffer(address, length).getBytes(0, b);
            frames.add(b);
            gso.add(metadata.gsoType() << 16 | metadata.gsoSize());
        }
    }

    private byte[] send(PortLink from, long dst, long src, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        for (int i = 12; i < length; i++) {
            b[i] = (byte) (i * 7 + length);
        }
        frame.putBytes(0, b);
        from.onFrame(frame.addressOffset(), length, meta);
        return b;
    }

    @Test
    void unicastToAToolstackMacReachesOnlyItsVifWithTheExactBytesAndMetadata() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, a);
        sw.attach("vifB", MAC_B, b);
        sw.attach("vifC", MAC_C, c);
        meta.reset().gso(1, 1448);
        byte[] sent = send(la, MAC_B, MAC_A, 200);
        assertEquals(1, b.frames.size());
        assertArrayEquals(sent, b.frames.get(0));
        assertEquals(1 << 16 | 1448, b.gso.get(0));
        assertTrue(a.frames.isEmpty());
        assertTrue(c.frames.isEmpty());
    }

    @Test
    void broadcastMulticastAndUnknownUnicastFloodToEveryoneButTheSender() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, a);
        sw.attach("vifB", MAC_B, b);
        sw.attach("vifC", MAC_C, c);
        send(la, MacAddress.BROADCAST, MAC_A, 60);
        send(la, 0x0100_5e00_0001L, MAC_A, 60);
        send(la, 0x0200_dead_beefL, MAC_A, 60);
        assertEquals(3, b.frames.size());
        assertEquals(3, c.frames.size());
        assertTrue(a.frames.isEmpty());
    }

    @Test
    void learnsSourceAddressesFromTxFramesAndFollowsAMove() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, a);
        PortLink lb = sw.attach("vifB", MAC_B, b);
        PortLink lc = sw.attach("vifC", MAC_C, c);
        long inner = 0x0200_0000_0042L; // an address behind vif C (a nested guest, a bridge)
        assertNull(sw.ownerOf(inner));
        send(lc, MacAddress.BROADCAST, inner, 60);
        assertEquals("vifC", sw.ownerOf(inner));
        a.frames.clear();
        b.frames.clear();
        send(la, inner, MAC_A, 80);
        assertEquals(1, c.frames.size());
        assertTrue(b.frames.isEmpty());
        send(lb, MacAddress.BROADCAST, inner, 60); // the address moved to B
        assertEquals("vifB", sw.ownerOf(inner));
        c.frames.clear();
        b.frames.clear();
        send(la, inner, MAC_A, 80);
        assertEquals(1, b.frames.size());
        assertTrue(c.frames.isEmpty());
    }

    @Test
    void aFrameForAnAddressBehindTheSenderIsNotSentBack() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, a);
        sw.attach("vifB", MAC_B, b);
        send(la, MAC_A, MAC_A, 60);
        assertTrue(a.frames.isEmpty());
        assertTrue(b.frames.isEmpty());
    }

    @Test
    void runtFramesAreDroppedAndGroupSourcesAreNotLearned() {
        Recorder b = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, new Recorder());
        sw.attach("vifB", MAC_B, b);
        send(la, MAC_B, MAC_A, 13);
        assertTrue(b.frames.isEmpty());
        int before = sw.addressCount();
        send(la, MAC_B, MacAddress.BROADCAST, 60);
        assertEquals(before, sw.addressCount());
        assertNull(sw.ownerOf(MacAddress.BROADCAST));
    }

    @Test
    void aDetachedVifGetsNothingAndItsAddressesAreForgotten() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, a);
        PortLink lb = sw.attach("vifB", MAC_B, b);
        send(lb, MacAddress.BROADCAST, 0x0200_0000_0001L, 60);
        assertEquals(3, sw.addressCount());
        lb.close();
        lb.close(); // idempotent
        assertEquals(1, sw.memberCount());
        assertNull(sw.ownerOf(MAC_B));
        assertNull(sw.ownerOf(0x0200_0000_0001L));
        b.frames.clear();
        send(la, MAC_B, MAC_A, 60);
        send(la, MacAddress.BROADCAST, MAC_A, 60);
        assertTrue(b.frames.isEmpty());
    }

    @Test
    void detachWaitsForADeliveryAlreadyUnderWay() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FrameSink slow = (address, length, metadata) -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        PortLink la = sw.attach("vifA", MAC_A, new Recorder());
        PortLink lb = sw.attach("vifB", MAC_B, slow);
        Thread sender = new Thread(() -> send(la, MAC_B, MAC_A, 60), "sender");
        sender.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread detacher = new Thread(lb::close, "detacher");
        detacher.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sw.memberCount() == 1);
        detacher.join(200);
        assertTrue(detacher.isAlive(), "detach returned while a delivery was still running");
        release.countDown();
        detacher.join(10_000);
        sender.join(10_000);
        assertFalse(detacher.isAlive());
    }

    @Test
    void theTableIsBoundedAndUnlearnedSourcesAreStillForwarded() {
        Recorder b = new Recorder();
        PortLink la = sw.attach("vifA", MAC_A, new Recorder());
        sw.attach("vifB", MAC_B, b);
        for (int i = 0; i < LearningSwitch.MAX_ADDRESSES + 100; i++) {
            send(la, MAC_B, 0x0200_0000_0000L + i, 60);
        }
        assertEquals(LearningSwitch.MAX_ADDRESSES, sw.addressCount());
        assertEquals(LearningSwitch.MAX_ADDRESSES + 100, b.frames.size());
    }

    @Test
    void forwardingWhileVifsComeAndGoNeverReachesADetachedVif() throws Exception {
        PortLink la = sw.attach("vifA", MAC_A, new Recorder());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Thread sender = new Thread(() -> {
            UnsafeBuffer f = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
            f.setMemory(0, 6, (byte) 0xff);
            FrameMetadata m = new FrameMetadata();
            for (int i = 0; i < 200_000 && System.nanoTime() < deadline; i++) {
                la.onFrame(f.addressOffset(), 60, m);
            }
        }, "flooder");
        sender.start();
        int violations = 0;
        for (int round = 0; round < 300 && sender.isAlive(); round++) {
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
            PortLink lb = sw.attach("vifB" + round, MAC_B, (a, l, m) -> {
                if (closed.get()) {
                    late.incrementAndGet();
                }
            });
            lb.close();
            closed.set(true);
            violations += late.get();
        }
        sender.join(30_000);
        assertEquals(0, violations);
        assertEquals(1, sw.memberCount());
    }
}
