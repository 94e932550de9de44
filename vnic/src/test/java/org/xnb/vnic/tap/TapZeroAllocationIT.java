package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.TestAddresses;

/**
 * The frame path allocates nothing: thousands of reads, writes, readv/writev and polls on a real
 * TAP fd, measured with the JVM's per-thread allocation counter after a warm-up.
 */
class TapZeroAllocationIT {
    private static final int WARM_UP = 200;
    private static final int FRAMES = 2000;
    /**
     * Slack over the measuring call's own cost: a rare JVM-internal allocation shows up as a
     * kilobyte or two per run, while one object per frame would be at least 16 B x 2000 = 32 KB.
     */
    private static final long SLACK_BYTES = 4096;

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** What reading the counter itself allocates (about 800 B on OpenJDK 17), measured, not assumed. */
    private static long counterCost() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long a = allocatedBytes();
            min = Math.min(min, allocatedBytes() - a);
        }
        return min;
    }

    @Test
    void readWriteVectoredAndPollAllocateNothingPerFrame() {
        TapDevice tap = net.tap(TapConfig.builder().standardOffloads(true));
        NetNs ns = net.namespace("tapalloc");
        tap.link().moveTo(ns.name()).up();
        String peer = TestAddresses.host(4, 2);
        ns.addAddress(tap.name(), TestAddresses.host(4, 1) + "/24");
        ns.execOk("ip", "neigh", "replace", peer, "lladdr", "02:00:5e:18:04:02", "dev", tap.name(), "nud", "permanent");
        // a steady source of frames to read (UDP datagrams from a bash loop), stopped by the fixture
        BackgroundProcess source = net.start(ns, "bash", "-c", "while :; do echo frame > /dev/udp/" + peer + "/9; done");

        TapQueue q = tap.queue(0);
        int hdr = q.vnetHeaderSize();
        UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TapQueue.MIN_READ_CAPACITY, 64));
        UnsafeBuffer header = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        long frameAddress = frame.addressOffset();
        long headerAddress = header.addressOffset();

        int warm = readFrames(q, frameAddress, headerAddress, WARM_UP);
        assertEquals(WARM_UP, warm, "warm-up frames read");
        long counterCost = counterCost();
        long before = allocatedBytes();
        int read = readFrames(q, frameAddress, headerAddress, FRAMES);
        long readAllocated = allocatedBytes() - before - counterCost;
        assertEquals(FRAMES, read, "frames read");
        assertTrue(readAllocated < SLACK_BYTES, "reading " + FRAMES + " frames allocated " + readAllocated + " bytes");

        // writes: a 60-byte broadcast frame of a local experimental ethertype, dropped by the namespace's stack
        VirtioNetHeader.clear(frame, 0, hdr);
        frame.setMemory(hdr, 12, (byte) 0xff);
        frame.putShort(hdr + 12, (short) 0x88b5, java.nio.ByteOrder.BIG_ENDIAN);
        VirtioNetHeader.clear(header, 0, hdr);
        writeFrames(q, frameAddress, headerAddress, hdr, WARM_UP);
        before = allocatedBytes();
        long written = writeFrames(q, frameAddress, headerAddress, hdr, FRAMES);
        long writeAllocated = allocatedBytes() - before - counterCost;
        assertEquals(2L * FRAMES * (hdr + 60), written, "bytes written");
        assertTrue(writeAllocated < SLACK_BYTES, "writing " + 2 * FRAMES + " frames allocated " + writeAllocated + " bytes");
        assertTrue(source.isAlive(), "the frame source stopped early: " + source.stderr());
    }

    /** Alternates read and readv; waits with poll; returns the frames read (bounded by a deadline). */
    private static int readFrames(TapQueue q, long frameAddress, long headerAddress, int wanted) {
        int got = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (got < wanted && System.nanoTime() < deadline) {
            if (!q.awaitReadable(100)) {
                continue;
            }
            int n = (got & 1) == 0
                    ? q.read(frameAddress, TapQueue.MIN_READ_CAPACITY)
                    : q.readv(headerAddress, frameAddress, TapQueue.MIN_READ_CAPACITY);
            if (n > 0) {
                got++;
            }
        }
        return got;
    }

    /** Writes each frame once with write and once with writev; returns the bytes written. */
    private static long writeFrames(TapQueue q, long frameAddress, long headerAddress, int hdr, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += q.write(frameAddress, hdr + 60);
            bytes += q.writev(headerAddress, frameAddress + hdr, 60);
        }
        return bytes;
    }
}
