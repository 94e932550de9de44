package org.xnb.xenstore;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves watch events from the socket reader thread to listeners without ever blocking the
 * reader: a slow listener must not delay replies to other requests (or, worse, deadlock a
 * listener that itself waits for a reply).
 *
 * <pre>
 *   reader thread --offer()--> [ bounded queue ] --take()--> dispatcher thread --> listener
 *        |  queue full: set watch.overflowed, remember the watch (once)
 *        +----------------------> [ overflowed watches ] --> re-fired when the queue is empty
 * </pre>
 *
 * <p>When the queue is full the event is dropped, and the watch it belongs to is marked.
 * Once the dispatcher has drained the queue it fires each marked watch once more, with the
 * watch's own registered path. This is correct for xenstore because watch events are hints:
 * a consumer re-reads the store when its watch fires, so what matters is that it is woken
 * <em>after</em> the last change it missed. The re-fire is delivered after every event
 * that was queued when the drop happened, and names the registered path, which covers any
 * changed node below it. xenstored itself promises no more (it already fires for any
 * change under the path and consumers cannot tell how many changes one event stands for).
 * The memory used is bounded by the queue capacity plus one entry per registered watch.
 */
final class WatchDispatcher {
    private final ConcurrentHashMap<String, XsWatch> byToken = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Object> queue;
    private final ConcurrentLinkedQueue<XsWatch> overflowed = new ConcurrentLinkedQueue<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refired = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    /** Queued element: the watch and the event (saves the lookup on the dispatcher side). */
    private record Queued(XsWatch watch, WatchEvent event) {
    }

    private static final Object STOP = new Object();

    WatchDispatcher(int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Registers a watch before WATCH is sent so that its first event cannot be missed. */
    void register(XsWatch w) {
        XsWatch old = byToken.putIfAbsent(w.token(), w);
        if (old != null) {
            throw new IllegalArgumentException("a watch with token '" + w.token()
                    + "' is already registered on this connection (on " + old.path() + ")");
        }
    }

    void unregister(XsWatch w) {
        w.deactivate();
        byToken.remove(w.token(), w);
    }

    /** Deactivates every watch (after RESET_WATCHES or connection loss). */
    void unregisterAll() {
        for (XsWatch w : byToken.values()) {
            unregister(w);
        }
    }

    /** Called on the reader thread; never blocks. */
    void onEvent(XsMessage m) {
        java.util.List<String> parts = m.payloadStrings(false);
        if (parts.size() < 2) {
            return;
        }
        XsWatch w = byToken.get(parts.get(1));
        if (w == null || !w.isActive()) {
            return;
        }
        if (!queue.offer(new Queued(w, new WatchEvent(parts.get(0), parts.get(1))))) {
            dropped.incrementAndGet();
            if (w.overflowed.compareAndSet(false, true)) {
                overflowed.add(w);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Object o = queue.poll();
                if (o == null) {
                    refireOverflowed();
                    o = queue.take();
                }
                if (o == STOP) {
                    return;
                }
                Queued q = (Queued) o;
                deliver(q.watch(), q.event());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refireOverflowed() {
        // Bounded: each watch is in the list at most once (guarded by its overflowed flag).
        XsWatch w;
        while ((w = overflowed.poll()) != null) {
            w.overflowed.set(false);
            refired.incrementAndGet();
            deliver(w, new WatchEvent(w.path(), w.token()));
        }
    }

    private void deliver(XsWatch w, WatchEvent e) {
        if (!w.isActive() || stopped) {
            return;
        }
        try {
            w.listener().onEvent(e);
            delivered.incrementAndGet();
        } catch (RuntimeException ex) {
            listenerFailures.incrementAndGet();
        }
    }

    /** Drops queued events and stops the thread; a running listener call finishes first. */
    void stop() {
        stopped = true;
        queue.clear();
        if (!queue.offer(STOP)) {
            thread.interrupt();
        }
    }

    boolean isDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    long delivered() {
        return delivered.get();
    }

    long dropped() {
        return dropped.get();
    }

    long refired() {
        return refired.get();
    }

    long listenerFailures() {
        return listenerFailures.get();
    }
}
