package org.xnb.tools.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;

/**
 * One {@code snoop -l LINK -o FILE.pcap [-c COUNT]}: one {@link CaptureRing} per lane of the link
 * (each ring has a single producer) and a writer thread that drains them in turn into a
 * {@link PcapWriter}. Lane {@code i} calls {@link #capture(int, DirectBuffer, int, int)} per frame
 * (allocation-free, never blocks); the session ends after {@code count} frames (0 = until
 * {@link #close}), after which capture returns at once. Frames of different lanes are written in
 * drain order, not merged by timestamp (each frame keeps its own timestamp).
 */
public final class CaptureSession implements AutoCloseable {
    private final CaptureRing[] rings;
    private final PcapWriter writer;
    private final long count;
    private final long epochNanosAtStart = System.currentTimeMillis() * 1_000_000L;
    private final long nanoTimeAtStart = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;
    private volatile long written;
    private volatile IOException failure;

    /** A session for a link with one lane. */
    public CaptureSession(Path file, int snaplen, int ringSlots, long count) throws IOException {
        this(file, snaplen, ringSlots, count, 1);
    }

    /** A session for a link with {@code lanes} lanes, each with its own ring of {@code ringSlots}. */
    public CaptureSession(Path file, int snaplen, int ringSlots, long count, int lanes) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        if (lanes < 1 || lanes > 64) {
            throw new IllegalArgumentException("lanes " + lanes + " must be 1..64");
        }
        this.rings = new CaptureRing[lanes];
        for (int i = 0; i < lanes; i++) {
            rings[i] = new CaptureRing(ringSlots, snaplen);
        }
        this.writer = new PcapWriter(file, snaplen);
        this.count = count;
        this.thread = new Thread(this::drainLoop, "xnb-capture-" + file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** The only lane's thread: captures a frame (timestamped now), or counts it lost when the ring is full. */
    public boolean capture(DirectBuffer frame, int offset, int length) {
        return capture(0, frame, offset, length);
    }

    /** Lane {@code lane}'s thread (one thread per lane): captures a frame, or counts it lost. */
    public boolean capture(int lane, DirectBuffer frame, int offset, int length) {
        return rings[lane].offer(frame, offset, length, epochNanosAtStart + (System.nanoTime() - nanoTimeAtStart));
    }

    private void closeRings() {
        for (CaptureRing r : rings) {
            r.close();
        }
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
                int n = 0;
                for (CaptureRing r : rings) {
                    n += r.drain(h, 1024);
                }
                if (count != 0 && written >= count) {
                    closeRings();
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
            closeRings(); // the writer is gone: lanes stop copying at once
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

    /** Frames lost (all lanes) because the writer fell behind. */
    public long dropped() {
        long d = 0;
        for (CaptureRing r : rings) {
            d += r.dropped();
        }
        return d;
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
        closeRings();
        stop = true;
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
