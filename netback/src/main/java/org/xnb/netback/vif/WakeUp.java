package org.xnb.netback.vif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.xen.LibC;

/**
 * Wakes a vif thread blocked in poll when another thread queued a frame for its Rx engine: an
 * {@code eventfd} the thread polls next to its event-channel fd, and a flag so that a burst of
 * frames costs one {@code write(2)}, not one per frame.
 *
 * <h2>Why no wake-up is lost</h2>
 * Producer: queue the frame; then {@code if (!signalled.getAndSet(true)) write(eventfd)}.
 * Consumer, each loop: if poll said the eventfd is readable, {@code read} it (drain); then
 * {@code signalled = false}; then run the engines; then poll.
 * <ul>
 * <li>A producer whose getAndSet ran before the consumer's clear queued its frame before that
 *     clear, so the engines run after it and see the frame.</li>
 * <li>A producer whose getAndSet ran after the clear and returned false writes the eventfd, after
 *     this loop's drain: the next poll returns at once.</li>
 * <li>A producer whose getAndSet ran after the clear and returned true: some producer set the flag
 *     after the clear and got false, so it writes after this loop's drain (case 2).</li>
 * </ul>
 * A write that lands after the drain of the loop that already saw its frame costs one spurious
 * wake-up, which drains it: the thread never spins on a readable eventfd.
 */
public final class WakeUp implements AutoCloseable {
    private static final VarHandle SIGNALLED;

    static {
        try {
            SIGNALLED = MethodHandles.lookup().findVarHandle(WakeUp.class, "signalled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    /** Holds the 8-byte value 1 that every producer writes (read-only after construction). */
    private final UnsafeBuffer one = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8));
    /** The consumer's read buffer. */
    private final UnsafeBuffer drained = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8));
    @SuppressWarnings("unused") // through SIGNALLED
    private volatile boolean signalled;
    private volatile boolean closed;
    private long writes;

    public WakeUp() {
        fd = LibEventFd.eventfd(0, LibEventFd.EFD_NONBLOCK | LibEventFd.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("eventfd: errno " + LibC.errno());
        }
        one.putLong(0, 1L, java.nio.ByteOrder.nativeOrder());
    }

    public int fd() {
        return fd;
    }

    /** Producer side: after queueing a frame. */
    public void signal() {
        if (!(boolean) SIGNALLED.getAndSet(this, true)) {
            write();
        }
    }

    /** Unconditional write, for stopping the thread. */
    public void force() {
        write();
    }

    private void write() {
        if (!closed) {
            LibC.write(fd, one.addressOffset(), 8);
            writes++; // approximate under contention: diagnostics only
        }
    }

    /** Consumer side, once per loop before the engines run (see the class comment). */
    public void consume(boolean readable) {
        if (readable) {
            LibC.read(fd, drained.addressOffset(), 8); // EAGAIN is fine: nothing to drain
        }
        SIGNALLED.setVolatile(this, false);
    }

    public long writes() {
        return writes;
    }

    /** Only once no producer can call {@link #signal()} any more (the port link is closed). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
