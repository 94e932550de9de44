package org.xnb.vnic.lane;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/** Work fed by other threads: a queue of frame sizes, drained 64 at a time; producers ring the doorbell. */
class QueueWork implements LaneWork {
    final ManyToOneConcurrentArrayQueue<Integer> queue = new ManyToOneConcurrentArrayQueue<>(1 << 16);
    volatile LaneCounters counters;
    volatile Lane lane;
    volatile int suppressCalls;

    /** Producer side: queue, then ring (the doorbell's order). */
    boolean offer(int bytes) {
        if (!queue.offer(bytes)) {
            return false;
        }
        lane.doorbell().ring();
        return true;
    }

    @Override
    public void onOpen(Lane opened) {
        counters = opened.counters();
        lane = opened;
    }

    @Override
    public int doWork() {
        int n = 0;
        long bytes = 0;
        Integer b;
        while (n < 64 && (b = queue.poll()) != null) {
            n++;
            bytes += b;
        }
        if (n > 0) {
            counters.in(n, bytes);
            counters.out(n, bytes);
        }
        return n;
    }

    @Override
    public boolean armNotifications() {
        return !queue.isEmpty(); // producers ring after queueing: whatever we miss here rings
    }

    @Override
    public void suppressNotifications() {
        suppressCalls++;
    }
}
