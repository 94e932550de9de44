package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.harness.netfront.MockNetfront;

/**
 * {@code RxEngine.offer} on one thread while {@code doWork} runs on another (the queue is
 * single-producer/single-consumer): every frame arrives intact and in order, or is counted as a
 * drop.
 */
class RxConcurrentOfferTest {
    private static final int FRAMES = 200_000;
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
        back.close();
        front.close();
        host.close();
    }

    @Test
    void framesOfferedFromAnotherThreadArriveIntactInOrderOrAreCountedDrops() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
                FrameMetadata meta = new FrameMetadata();
                for (int seq = 0; seq < FRAMES; seq++) {
                    int len = 64 + (seq * 37) % 1400;
                    frame.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
                    frame.putInt(8, len, ByteOrder.LITTLE_ENDIAN);
                    for (int i = 12; i < len; i++) {
                        frame.putByte(i, (byte) (seq + i));
                    }
                    back.rx.offer(frame.addressOffset(), len, meta.reset());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "rx-offer");
        front.postRx(256);
        producer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long lastSeq = -1;
        long received = 0;
        while (producer.isAlive() || back.rx.queuedFrames() > 0) {
            assertTrue(System.nanoTime() < deadline, "deadline passed");
            back.rx.doWork();
            List<RxSlot> slots = front.rxResponses();
            for (RxSlot s : slots) {
                byte[] b = front.rxData(s.id(), 0, s.status());
                UnsafeBuffer v = new UnsafeBuffer(b);
                long seq = v.getLong(0, ByteOrder.LITTLE_ENDIAN);
                assertEquals(v.getInt(8, ByteOrder.LITTLE_ENDIAN), s.status(), "length of frame " + seq);
                assertTrue(seq > lastSeq, "order: " + seq + " after " + lastSeq);
                for (int i = 12; i < b.length; i++) {
                    if (b[i] != (byte) (seq + i)) {
                        throw new AssertionError("frame " + seq + " corrupted at " + i);
                    }
                }
                lastSeq = seq;
                received++;
            }
            front.postRx(front.rx.freeRequests());
        }
        producer.join();
        assertEquals(null, failure.get());
        assertEquals(FRAMES, received + back.rx.counters().droppedQueueFull);
        assertEquals(received, back.rx.counters().packets);
        assertTrue(received > 0);
    }
}
