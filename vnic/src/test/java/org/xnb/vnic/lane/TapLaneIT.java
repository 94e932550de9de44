package org.xnb.vnic.lane;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.BufferUtil;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.CountersFileReader;
import org.xnb.vnic.stat.LaneCounter;
import org.xnb.vnic.stat.LaneStats;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.tap.TapQueue;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.TestAddresses;

/**
 * A lane on a real fd: the work reads a TAP queue (its fd is the lane's wake fd), the kernel sends
 * into it from a namespace. Idle, the lane's thread sleeps in ppoll; a UDP flood moves the lane to
 * poll mode; when it stops the lane returns to interrupt mode and sleeps again; the lane's IPKTS
 * (read from the counters file, as dlstat would) equals the TAP's tx_packets in the namespace.
 */
class TapLaneIT {
    @RegisterExtension
    final NetFixture net = new NetFixture();
    private Path dir;
    private CountersFile counters;
    private LaneScheduler lanes;

    @AfterEach
    void close() throws Exception {
        if (lanes != null) {
            lanes.close();
        }
        if (counters != null) {
            counters.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("counters"));
            Files.deleteIfExists(dir);
        }
    }

    /** Reads up to 64 frames per batch from the non-blocking TAP fd. */
    static final class TapReadWork implements LaneWork {
        final TapQueue queue;
        final UnsafeBuffer buf = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TapQueue.MIN_READ_CAPACITY, 64));
        LaneCounters counters;

        TapReadWork(TapQueue queue) {
            this.queue = queue;
        }

        @Override
        public int doWork() {
            int n = 0;
            long bytes = 0;
            int len;
            while (n < 64 && (len = queue.read(buf.addressOffset(), buf.capacity())) > 0) {
                n++;
                bytes += len - queue.vnetHeaderSize();
            }
            if (n > 0) {
                counters.in(n, bytes);
            }
            return n;
        }

        @Override
        public void onOpen(Lane lane) {
            counters = lane.counters();
        }

        @Override
        public boolean armNotifications() {
            return false; // poll(2) on the fd is level-triggered: a frame queued now wakes the ppoll
        }

        @Override
        public void suppressNotifications() {
            // a TAP fd cannot be told not to notify; the lane just does not poll it in poll mode
        }

        @Override
        public int wakeFd() {
            return queue.fd();
        }
    }

    private static String state(int tid) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status")).stream()
                .filter(l -> l.startsWith("State:")).findFirst().orElseThrow().substring(6).trim().substring(0, 1);
    }

    @Test
    void aFloodMovesTheLaneToPollModeAndQuietBringsItBack() throws Exception {
        TapDevice tap = net.tap(TapConfig.builder());
        NetNs ns = net.namespace("lane");
        tap.link().moveTo(ns.name()).up();
        String local = TestAddresses.host(3, 1);
        String peer = TestAddresses.host(3, 2);
        ns.addAddress(tap.name(), local + "/24");
        ns.execOk("ip", "neigh", "replace", peer, "lladdr", "02:00:5e:18:03:02", "dev", tap.name(), "nud", "permanent");

        dir = Files.createTempDirectory("xnb-lanes");
        counters = CountersFile.create(dir.resolve("counters"), 256);
        lanes = new LaneScheduler(ThreadingMode.DEDICATED, counters, PollingPolicy.DEFAULTS, SystemNanoClock.INSTANCE, 0);
        TapReadWork work = new TapReadWork(tap.queue(0));
        Lane lane = lanes.open("tap0", 0, work, LanePriority.MEDIUM, 0);
        int tid = lanes.threadOf(lane).tid();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(() -> lane.counters().get(LaneCounter.BLKCNT) >= 1 && state(tid).equals("S"));

        // perl is Essential in Debian: a UDP flood without extra packages
        BackgroundProcess flood = net.start(ns, "perl", "-MIO::Socket::INET", "-e",
                "my $s = IO::Socket::INET->new(PeerAddr => '" + peer + ":9', Proto => 'udp') or die $!;"
                        + " for (1 .. 200000) { $s->send('x' x 200) }");
        var result = flood.await(Duration.ofSeconds(60));
        assertEquals(0, result.exitCode(), result.describe());

        String txPath = "/sys/class/net/" + tap.name() + "/statistics/tx_packets";
        long sent = Long.parseLong(ns.execOk("cat", txPath).trim());
        assertTrue(sent > 1000, "the kernel put only " + sent + " frames into the TAP");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(() -> lane.counters().get(LaneCounter.IPKTS) >= sent);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(() -> lane.counters().get(LaneCounter.MODE) == 0 && state(tid).equals("S"));

        try (CountersFileReader reader = CountersFileReader.open(dir.resolve("counters"))) {
            LaneStats s = reader.lanes().get(0);
            long now = Long.parseLong(ns.execOk("cat", txPath).trim()); // IPv6 chatter may add a few
            assertTrue(s.get(LaneCounter.IPKTS) >= sent && s.get(LaneCounter.IPKTS) <= now,
                    "IPKTS " + s.get(LaneCounter.IPKTS) + " vs tx_packets " + sent + ".." + now);
            assertEquals(s.get(LaneCounter.IPKTS), s.get(LaneCounter.INTRS) + s.get(LaneCounter.POLLS));
            assertTrue(s.get(LaneCounter.TOPOLL) >= 1, "went to poll mode under the flood\n"
                    + CountersFileReader.format(reader.lanes()));
            assertTrue(s.get(LaneCounter.POLLS) > 0);
            assertTrue(s.get(LaneCounter.TOINTR) >= 1);
            assertEquals("interrupt", s.mode());
            System.out.println(CountersFileReader.format(reader.lanes()));
        }
    }
}
