package org.xnb.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.xnb.xenstore.XenstoreClient;

/**
 * One row of {@code bench xenstore}: N clients (each its own connection and thread) doing READ
 * or WRITE round trips for a fixed time, either blocking (one request outstanding per client)
 * or pipelined through the async API (up to {@code inFlight} per client, bounded by a
 * semaphore). Latency is from sending to the reply completing the future, in a histogram per
 * client that only that client's thread (blocking) or reader thread (pipelined) records into.
 */
final class RoundTripRow {
    enum Op { READ, WRITE }

    /** What a row measured. */
    record Result(long requests, double seconds, Histogram latencyNanos) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final byte[] VALUE = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final List<XenstoreClient> clients;
    private final Op op;
    private final int inFlight;
    private final long timeoutNanos;

    RoundTripRow(List<XenstoreClient> clients, Op op, int inFlight, long timeoutNanos) {
        this.clients = clients;
        this.op = op;
        this.inFlight = inFlight;
        this.timeoutNanos = timeoutNanos;
    }

    static String keyOf(int client) {
        return "/bench/client" + client;
    }

    Result run(long warmupNanos, long measureNanos) throws InterruptedException {
        if (warmupNanos > 0) {
            runFor(warmupNanos);
        }
        return runFor(measureNanos);
    }

    private Result runFor(long nanos) throws InterruptedException {
        int n = clients.size();
        long[] counts = new long[n];
        Histogram[] hists = new Histogram[n];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < n; i++) {
            int c = i;
            hists[c] = new Histogram(MAX_LATENCY_NANOS, 3);
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    counts[c] = inFlight == 1 ? blocking(clients.get(c), keyOf(c), hists[c], end)
                            : pipelined(clients.get(c), keyOf(c), hists[c], end);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "xs-bench-client-" + c);
            threads.add(t);
            t.start();
        }
        if (!ready.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("client threads did not start");
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + nanos;
        go.countDown();
        long joinDeadline = window[1] + timeoutNanos;
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            if (t.isAlive()) {
                t.interrupt();
                throw new IllegalStateException(t.getName() + " did not finish within the timeout");
            }
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
        }
        Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
        long total = 0;
        for (int i = 0; i < n; i++) {
            all.add(hists[i]);
            total += counts[i];
        }
        return new Result(total, seconds, all);
    }

    private long blocking(XenstoreClient xs, String key, Histogram hist, long end) {
        long count = 0;
        long now = System.nanoTime();
        while (now < end) {
            long start = now;
            if (op == Op.READ) {
                xs.read(key);
            } else {
                xs.write(key, VALUE);
            }
            now = System.nanoTime();
            hist.recordValue(Math.min(now - start, MAX_LATENCY_NANOS));
            count++;
        }
        return count;
    }

    private long pipelined(XenstoreClient xs, String key, Histogram hist, long end) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long count = 0;
        while (System.nanoTime() < end && failure.get() == null) {
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("no reply within the timeout");
            }
            long start = System.nanoTime();
            CompletableFuture<?> f = op == Op.READ ? xs.readAsync(key) : xs.writeAsync(key, VALUE);
            // runs on the client's reader thread: the only writer of this histogram meanwhile
            f.whenComplete((v, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    hist.recordValue(Math.min(System.nanoTime() - start, MAX_LATENCY_NANOS));
                }
                slots.release();
            });
            count++;
        }
        // all slots back: every reply arrived, and the reader's histogram writes happen-before this
        if (!slots.tryAcquire(inFlight, timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("outstanding replies did not arrive within the timeout");
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get().toString(), failure.get());
        }
        return count;
    }
}
