package org.xnb.vnic.stub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.Vnic;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.LaneWork;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Guests on lanes talking through an etherstub, as netback will wire them: each VNIC's lane sends
 * what its guest queued through its port (IPKTS) and delivers what the etherstub queued for it
 * (OPKTS); the etherstub's receiver queues the frame and rings the destination lane's doorbell.
 */
class EtherstubLanesTest {

    /** One guest's side: frames it wants to send (destination MACs) and frames waiting for it. */
    static final class GuestWork implements LaneWork {
        final ManyToOneConcurrentArrayQueue<Long> toSend = new ManyToOneConcurrentArrayQueue<>(4096);
        final ManyToOneConcurrentArrayQueue<Integer> inbox = new ManyToOneConcurrentArrayQueue<>(8192);
        final TestFrames frame = new TestFrames();
        final long mac;
        volatile StubPort port;
        LaneCounters counters;
        volatile Lane lane;

        GuestWork(long mac) {
            this.mac = mac;
        }

        /** The etherstub's receiver: on the sender's thread. */
        final FrameReceiver receiver = (address, length, vlan) -> {
            if (inbox.offer(length)) {
                lane.doorbell().ring();
            }
        };

        @Override
        public void onOpen(Lane opened) {
            counters = opened.counters();
            lane = opened;
        }

        @Override
        public int doWork() {
            int n = 0;
            Long dst;
            while (n < 32 && (dst = toSend.poll()) != null) {
                int len = frame.write(dst, mac, -1);
                port.send(frame.address(), len);
                counters.in(1, len);
                n++;
            }
            Integer got;
            int delivered = 0;
            while (delivered < 32 && (got = inbox.poll()) != null) {
                counters.out(1, got);
                delivered++;
            }
            return n + delivered;
        }

        @Override
        public boolean armNotifications() {
            return !toSend.isEmpty() || !inbox.isEmpty();
        }

        @Override
        public void suppressNotifications() {
        }
    }

    @Test
    void framesBetweenGuestsAddUpInTheirLanesCounters() {
        try (CountersFile file = CountersFile.inMemory(256);
                LaneScheduler lanes = new LaneScheduler(ThreadingMode.DEDICATED, file, PollingPolicy.DEFAULTS,
                        SystemNanoClock.INSTANCE, 0)) {
            Etherstub stub = new Etherstub("stub0");
            List<GuestWork> guests = new ArrayList<>();
            List<Lane> guestLanes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Vnic v = new Vnic("guest" + i, MacAddress.XEN_OUI | (i + 1), Vnic.NO_VLAN, "stub0");
                GuestWork w = new GuestWork(v.mac());
                w.port = stub.attach(v, w.receiver);
                guests.add(w);
                guestLanes.add(lanes.open(v.name(), 0, w, LanePriority.MEDIUM, 0));
            }
            GuestWork a = guests.get(0);
            // guest0: 1000 frames to guest1, 500 to guest2, 100 broadcasts, 50 to nobody
            for (int i = 0; i < 1000; i++) {
                a.toSend.offer(guests.get(1).mac);
            }
            for (int i = 0; i < 500; i++) {
                a.toSend.offer(guests.get(2).mac);
            }
            for (int i = 0; i < 100; i++) {
                a.toSend.offer(MacAddress.BROADCAST);
            }
            for (int i = 0; i < 50; i++) {
                a.toSend.offer(MacAddress.XEN_OUI | 0xdead);
            }
            guestLanes.get(0).doorbell().ring();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() ->
                    guestLanes.get(1).counters().get(LaneCounter.OPKTS) == 1100
                            && guestLanes.get(2).counters().get(LaneCounter.OPKTS) == 600
                            && guestLanes.get(0).counters().get(LaneCounter.IPKTS) == 1650);
            assertEquals(0, guestLanes.get(0).counters().get(LaneCounter.OPKTS), "nothing back to the sender");
            assertEquals(1700, a.port.deliveries());
            assertEquals(50, a.port.unknownDestination());
            assertEquals(1650 * 60L, guestLanes.get(0).counters().get(LaneCounter.RBYTES));
            assertEquals(1100 * 60L, guestLanes.get(1).counters().get(LaneCounter.OBYTES));
        }
    }
}
