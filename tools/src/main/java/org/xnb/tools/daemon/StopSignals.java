package org.xnb.tools.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop, not an exit: the JVM's own handling would run
 * shutdown hooks and exit 143/130 with vifs torn down in no order. Here the main thread wakes,
 * stops everything in order and returns 0.
 */
final class StopSignals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<String> received = new AtomicReference<>();

    StopSignals install() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                received.compareAndSet(null, "SIG" + s.getName());
                stop.countDown();
            });
        }
        return this;
    }

    /** Waits for a signal; returns its name. */
    String await() throws InterruptedException {
        stop.await();
        return received.get();
    }

    /** Waits at most {@code ms} for a signal; returns its name, or null. */
    String await(long ms) throws InterruptedException {
        return stop.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS) ? received.get() : null;
    }
}
