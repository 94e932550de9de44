package org.xnb.netback.port.tap;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import org.xnb.netback.hash.FrameHash;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.rx.FrameHandOff;
import org.xnb.netback.vif.WakeUp;
import org.xnb.vnic.tap.FdPoller;
import org.xnb.vnic.tap.TapQueue;

/**
 * A TAP device's queues as one member of a {@link Port} (a link's learning switch): dom0's side
 * of the link. Its MAC is unknown, so it attaches without one; frames for addresses nobody owns
 * are flooded to it and the switch learns dom0's source addresses from the frames it reads.
 *
 * <pre>
 *  vif threads --switch--> receiver: queue q = flow hash % queues (one flow, one queue: its order holds)
 *                          FrameHandOff[q].offer (copy, bounded, drops counted) + WakeUp[q].signal
 *                                          |
 *  thread "tap-IF[/q]" per TAP queue:  loop { WakeUp.consume ; drain hand-off -> TapUplinkSink (writev)
 *                                             TapUplinkReader.doWork (read, batch) -> PortLink.onFrame -> switch
 *                                             idle: poll(TAP fd, eventfd) }
 * </pre>
 *
 * With an {@code IFF_MULTI_QUEUE} TAP each queue has its own thread, so Linux receives and sends
 * on every queue in parallel (its own flow hash spreads what it sends over the queue fds).
 * Only a queue's thread touches its fd (the sink's scratch header and the queue's iovecs are not
 * shared); vif threads meet it only in the hand-off's gate, one bounded copy long. At most
 * {@link #ROUNDS} batches of {@link #BATCH} frames each way before polling again.
 */
public final class TapUplinkPort implements AutoCloseable {
    public static final int BATCH = 64;
    public static final int ROUNDS = 64;
    /** Bytes waiting for a TAP queue's fd before frames are dropped (the switch never blocks a vif). */
    public static final int HANDOFF_BYTES = 1 << 20;
    public static final int HANDOFF_FRAMES = 4096;
    private static final long JOIN_MS = 5_000;
    private static final Logger LOG = System.getLogger(TapUplinkPort.class.getName());

    private final String name;
    private final Worker[] workers;
    private final PortLink link;

    /** One TAP queue with its thread, hand-off, sink and reader. */
    private final class Worker {
        final TapQueue queue;
        final String threadName;
        final WakeUp wake = new WakeUp();
        final FrameHandOff toTap = new FrameHandOff(HANDOFF_BYTES, HANDOFF_FRAMES);
        final TapUplinkSink sink;
        final FdPoller poller;
        TapUplinkReader reader;
        Thread thread;
        volatile boolean running = true;

        Worker(TapQueue queue, String threadName) {
            this.queue = queue;
            this.threadName = threadName;
            this.sink = new TapUplinkSink(queue);
            this.poller = new FdPoller(queue.fd(), wake.fd());
        }

        void run() {
            boolean wakeReadable = false;
            try {
                while (running) {
                    wake.consume(wakeReadable);
                    wakeReadable = false;
                    boolean busy = true;
                    for (int round = 0; round < ROUNDS && busy && running; round++) {
                        busy = toTap.drain(sink, BATCH) + reader.doWork() > 0;
                    }
                    if (busy || !running) {
                        continue;
                    }
                    if (poller.poll(-1) > 0) {
                        if (poller.failed(0)) {
                            LOG.log(Level.ERROR, "{0}: TAP fd reports an error; uplink queue stopped", threadName);
                            return;
                        }
                        wakeReadable = poller.readable(1);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, threadName + ": uplink thread failed: " + e, e);
            }
        }
    }

    private TapUplinkPort(String name, List<TapQueue> queues, Port port) {
        if (queues.isEmpty()) {
            throw new IllegalArgumentException(name + ": no TAP queue");
        }
        this.name = name;
        this.workers = new Worker[queues.size()];
        for (int q = 0; q < workers.length; q++) {
            workers[q] = new Worker(queues.get(q), workers.length == 1 ? name : name + "/" + q);
        }
        Worker[] ws = workers;
        this.link = port.attach(name, -1, (address, length, metadata) -> {
            Worker w = ws.length == 1 ? ws[0]
                    : ws[Integer.remainderUnsigned(FrameHash.spread(address, length), ws.length)];
            if (w.toTap.offer(address, length, metadata)) {
                w.wake.signal();
            }
        });
        for (Worker w : workers) {
            w.reader = new TapUplinkReader(w.queue, link, BATCH);
            w.thread = new Thread(w::run, w.threadName);
            w.thread.setDaemon(true);
        }
    }

    /** Attaches {@code queue} to {@code port} as member {@code name} and starts its thread. The caller keeps the queue. */
    public static TapUplinkPort start(String name, TapQueue queue, Port port) {
        return start(name, List.of(queue), port);
    }

    /**
     * Attaches the queues of one TAP device to {@code port} as one member {@code name} and starts a
     * thread per queue ({@code name/q} with several). The caller keeps the queues.
     */
    public static TapUplinkPort start(String name, List<TapQueue> queues, Port port) {
        TapUplinkPort p = new TapUplinkPort(name, queues, port);
        for (Worker w : p.workers) {
            w.thread.start();
        }
        return p;
    }

    public String name() {
        return name;
    }

    /** How many TAP queues (and threads) this uplink runs. */
    public int queueCount() {
        return workers.length;
    }

    /** Queue 0 (a single-queue uplink's queue). */
    public TapQueue queue() {
        return workers[0].queue;
    }

    /** dom0 -> switch: frames read from queue 0's fd (see {@link #fromTap(int)}). */
    public TapPortCounters fromTap() {
        return fromTap(0);
    }

    public TapPortCounters fromTap(int q) {
        return workers[q].reader.counters();
    }

    /** switch -> dom0: frames written to queue 0's fd (see {@link #toTap(int)}). */
    public TapPortCounters toTap() {
        return toTap(0);
    }

    public TapPortCounters toTap(int q) {
        return workers[q].sink.counters();
    }

    /** switch -> dom0 frames dropped because a hand-off was full, over every queue. */
    public long handOffDrops() {
        long n = 0;
        for (Worker w : workers) {
            n += w.toTap.dropped();
        }
        return n;
    }

    /** Queue 0's uplink thread id (for allocation measurements). */
    public long threadId() {
        return workers[0].thread.getId();
    }

    /** Whether every queue's thread runs. */
    public boolean isRunning() {
        for (Worker w : workers) {
            if (!w.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Detaches from the port, stops the threads; the TAP queues stay open (their owner closes them). */
    @Override
    public void close() {
        link.close();
        for (Worker w : workers) {
            w.running = false;
            w.wake.force();
        }
        for (Worker w : workers) {
            try {
                w.thread.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.thread.isAlive()) {
                LOG.log(Level.ERROR, "{0}: uplink thread did not stop within {1} ms", w.threadName, JOIN_MS);
                continue;
            }
            w.toTap.purge();
            w.wake.close();
        }
    }
}
