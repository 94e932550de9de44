package org.xnb.tools.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;

/**
 * One {@code snoop -l LINK -o FILE.pcap [-c COUNT]}: a {@link CaptureRing} the lane feeds and a
 * writer thread that drains it into a {@link PcapWriter}. The lane calls {@link #capture} per frame
 * (allocation-free, never blocks); the session ends after {@code count} frames (0 = until
 * {@link #close}), after which {@link #capture} returns at once.
 */
public final class CaptureSession implements AutoCloseable {
    private final CaptureRing ring;
    private final PcapWriter writer;
    private final long count;
    private final long epochNanosAtStart = System.currentTimeMillis() * 1_000_000L;
    private final long nanoTimeAtStart = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;
    private volatile long written;
    private volatile IOException failure;

    public CaptureSession(Path file, int snaplen, int ringSlots, long count) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        this.ring = new CaptureRing(ringSlots, snaplen);
        this.writer = new PcapWriter(file, snaplen);
        this.count = count;
        this.thread = new Thread(this::drainLoop, "xnb-capture-" + file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Lane thread: captures a frame (timestamped now), or counts it lost when the ring is full. */
    public boolean capture(DirectBuffer frame, int offset, int length) {
        return ring.offer(frame, offset, length, epochNanosAtStart + (System.nanoTime() - nanoTimeAtStart));
    }

    private void drainLoop() {
        CaptureRing.FrameHandler h = (ts, orig, buf, off, len) -> {
            if (count != 0 && written >= count) {
                return; // past -c COUNT: drained and discarded
            }
            try {
                writer.write(ts, orig, buf, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written = written + 1; // this thread is the only writer
        };
        try {
            while (true) {
                boolean stopping = stop; // read before draining, so the last frames are drained after it
                int n = ring.drain(h, 1024);
                if (count != 0 && written >= count) {
                    ring.close();
                    break;
                }
                if (n == 0) {
                    if (stopping) {
                        break;
                    }
                    writer.flush();
                    LockSupport.parkNanos(200_000);
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (UncheckedIOException e) {
            failure = e.getCause();
        } finally {
            ring.close(); // the writer is gone: lanes stop copying at once
            try {
                writer.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** Frames written to the file. */
    public long written() {
        return written;
    }

    /** Frames lost because the writer fell behind. */
    public long dropped() {
        return ring.dropped();
    }

    /** True once {@code count} frames are written (or the session was closed). */
    public boolean isDone() {
        return !thread.isAlive();
    }

    /** Waits for the session to end by itself (after {@code count} frames). */
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /** Stops capturing, writes what the ring holds, closes the file. */
    @Override
    public void close() throws IOException, InterruptedException {
        ring.close();
        stop = true;
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
