package org.xnb.netback.port.tap;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.rx.FrameHandOff;
import org.xnb.netback.vif.WakeUp;
import org.xnb.vnic.tap.FdPoller;
import org.xnb.vnic.tap.TapQueue;

/**
 * A TAP queue as one member of a {@link Port} (a link's learning switch): dom0's side of the
 * link. Its MAC is unknown, so it attaches without one; frames for addresses nobody owns are
 * flooded to it and the switch learns dom0's source addresses from the frames it reads.
 *
 * <pre>
 *  vif threads --switch--> receiver: FrameHandOff.offer (copy, bounded, drops counted) + WakeUp.signal
 *                                          |
 *  thread "tap-IF":  loop { WakeUp.consume ; drain hand-off -> TapUplinkSink (writev)
 *                           TapUplinkReader.doWork (read, batch) -> PortLink.onFrame -> switch
 *                           idle: poll(TAP fd, eventfd) }
 * </pre>
 *
 * Only this thread touches the TAP fd (the sink's scratch header and the queue's iovecs are not
 * shared); vif threads meet it only in the hand-off's gate, one bounded copy long. At most
 * {@link #ROUNDS} batches of {@link #BATCH} frames each way before polling again.
 */
public final class TapUplinkPort implements AutoCloseable {
    public static final int BATCH = 64;
    public static final int ROUNDS = 64;
    /** Bytes waiting for the TAP fd before frames are dropped (the switch never blocks a vif). */
    public static final int HANDOFF_BYTES = 1 << 20;
    public static final int HANDOFF_FRAMES = 4096;
    private static final long JOIN_MS = 5_000;
    private static final Logger LOG = System.getLogger(TapUplinkPort.class.getName());

    private final String name;
    private final TapQueue queue;
    private final WakeUp wake = new WakeUp();
    private final FrameHandOff toTap = new FrameHandOff(HANDOFF_BYTES, HANDOFF_FRAMES);
    private final TapUplinkSink sink;
    private final FdPoller poller;
    private final PortLink link;
    private final TapUplinkReader reader;
    private final Thread thread;
    private volatile boolean running = true;

    private TapUplinkPort(String name, TapQueue queue, Port port) {
        this.name = name;
        this.queue = queue;
        this.sink = new TapUplinkSink(queue);
        this.poller = new FdPoller(queue.fd(), wake.fd());
        this.link = port.attach(name, -1, (address, length, metadata) -> {
            if (toTap.offer(address, length, metadata)) {
                wake.signal();
            }
        });
        this.reader = new TapUplinkReader(queue, link, BATCH);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Attaches {@code queue} to {@code port} as member {@code name} and starts its thread. The caller keeps the queue. */
    public static TapUplinkPort start(String name, TapQueue queue, Port port) {
        TapUplinkPort p = new TapUplinkPort(name, queue, port);
        p.thread.start();
        return p;
    }

    private void run() {
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
                        LOG.log(Level.ERROR, "{0}: TAP fd reports an error; uplink stopped", name);
                        return;
                    }
                    wakeReadable = poller.readable(1);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": uplink thread failed: " + e, e);
        }
    }

    public String name() {
        return name;
    }

    public TapQueue queue() {
        return queue;
    }

    /** dom0 -> switch: frames read from the TAP fd. */
    public TapPortCounters fromTap() {
        return reader.counters();
    }

    /** switch -> dom0: frames written to the TAP fd. */
    public TapPortCounters toTap() {
        return sink.counters();
    }

    /** switch -> dom0 frames dropped because the hand-off was full. */
    public long handOffDrops() {
        return toTap.dropped();
    }

    /** The uplink thread's id (for allocation measurements). */
    public long threadId() {
        return thread.getId();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Detaches from the port, stops the thread; the TAP queue stays open (its owner closes it). */
    @Override
    public void close() {
        link.close();
        running = false;
        wake.force();
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "{0}: uplink thread did not stop within {1} ms", name, JOIN_MS);
            return;
        }
        toTap.purge();
        wake.close();
    }
}
