package org.xnb.harness.hypervisor;

import org.agrona.BufferUtil;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.xen.Errno;
import org.xnb.grant.xen.LibC;

/**
 * The sending side of doorbells: writes a port number into another handle's FIFO, keeping the
 * write fds it opened (handle ids are never reused, so a cached fd never reaches the wrong
 * handle). Bounded: past {@link #MAX_OPEN} handles the cache is emptied. One per handle.
 */
final class DoorbellRinger implements AutoCloseable {
    static final int MAX_OPEN = 256;
    private static final int MISSING = -1;

    private final HarnessDirectory harness;
    private final Int2IntHashMap fds = new Int2IntHashMap(MISSING);
    private final UnsafeBuffer word = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8));

    DoorbellRinger(HarnessDirectory harness) {
        this.harness = harness;
    }

    /**
     * Queues {@code port} on handle {@code owner}'s doorbell.
     *
     * @return true if queued; false if the handle is gone or its FIFO is full (the event is lost,
     *         as when Linux's evtchn ring overflows)
     */
    boolean ring(int owner, int port) {
        int fd = fds.get(owner);
        if (fd == MISSING) {
            fd = LibC.open(harness.doorbell(owner).toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            if (fd < 0) {
                return false; // the owner closed its handle: its ports are unbound already
            }
            if (fds.size() >= MAX_OPEN) {
                closeAll();
            }
            fds.put(owner, fd);
        }
        word.putInt(0, port);
        long n = LibC.write(fd, word.addressOffset(), 4);
        if (n == 4) {
            return true;
        }
        int errno = LibC.errno();
        if (errno != Errno.EAGAIN) {
            fds.remove(owner);
            LibC.close(fd);
        }
        return false;
    }

    private void closeAll() {
        fds.forEach((owner, fd) -> LibC.close(fd));
        fds.clear();
    }

    @Override
    public void close() {
        closeAll();
    }
}
