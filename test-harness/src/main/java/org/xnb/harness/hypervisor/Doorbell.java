package org.xnb.harness.hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.xen.Errno;
import org.xnb.grant.xen.LibC;
import org.xnb.grant.xen.PollWait;

/**
 * The receiving end of one event-channel handle: a named FIFO that carries the numbers of the
 * ports delivered to the handle, 4 bytes each, like the ring behind Linux's
 * {@code /dev/xen/evtchn}. The owner keeps it open {@code O_RDWR|O_NONBLOCK}, so writers never
 * see "no reader" and reads never block; {@link #fd()} polls readable while a port is queued.
 *
 * <p>Why no wake-up is lost: the queue IS the kernel's pipe buffer. A port written before the
 * owner polls makes the poll return at once; one written during the poll wakes it. Writes of 4
 * bytes are atomic (below PIPE_BUF), so reads always see whole port numbers.
 */
final class Doorbell implements AutoCloseable {
    private static final int BATCH = 64;

    private final Path path;
    private final int fd;
    private final PollWait poll = new PollWait();
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH * 4, 8));
    private final int[] queued = new int[BATCH];
    private int head;
    private int tail;
    private boolean closed;

    Doorbell(Path path) {
        this.path = path;
        if (LibC.mkfifo(path.toString(), 0600) != 0) {
            throw new UncheckedIOException(new IOException("mkfifo " + path + ": " + Errno.describe(LibC.errno())));
        }
        this.fd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = LibC.errno();
            deleteQuietly(path);
            throw new UncheckedIOException(new IOException("open " + path + ": " + Errno.describe(errno)));
        }
    }

    int fd() {
        return fd;
    }

    /**
     * The next delivered port, waiting up to {@code timeoutNanos} for one; -1 if none came.
     * Called by one thread.
     */
    int next(long timeoutNanos) {
        if (head < tail) {
            return queued[head++];
        }
        if (drain() > 0 || (poll.awaitReadable(fd, timeoutNanos) && drain() > 0)) {
            return queued[head++];
        }
        return -1;
    }

    /** Reads every port queued (up to a batch) without blocking. */
    private int drain() {
        long n = LibC.read(fd, readBuffer.addressOffset(), BATCH * 4L);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            throw new IllegalStateException("read doorbell " + path + ": " + Errno.describe(errno));
        }
        head = 0;
        tail = (int) (n / 4);
        for (int i = 0; i < tail; i++) {
            queued[i] = readBuffer.getInt(i * 4);
        }
        return tail;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            deleteQuietly(path);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover FIFO in a test directory is harmless; the directory goes away with the test
        }
    }
}
