package org.xnb.vnic.lane;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.os.LibC;

/**
 * Wakes a lane thread blocked in ppoll: an {@code eventfd} it polls, plus a flag so that a burst of
 * rings costs one {@code write(2)}. Any thread may {@link #ring()}; only the lane's thread
 * {@link #consume()}s.
 *
 * <h2>Why no wake-up is lost</h2>
 * Producer: publish the work (queue a frame); then {@code if (!rung.getAndSet(true)) write(fd)}.
 * Consumer: after ppoll said readable, {@code read(fd)} (drain), then {@code rung = false}, then
 * do the work. A producer whose getAndSet came before the clear published before it, so the work
 * that follows sees it; one whose getAndSet came after the clear and returned false writes after
 * the drain, so the next ppoll returns; one that got true after the clear follows a producer that
 * got false after the clear (the previous case). A stale write costs one spurious wake-up, which
 * drains it: the thread never spins on a readable eventfd.
 */
public final class Doorbell implements AutoCloseable {
    private static final VarHandle RUNG;

    static {
        try {
            RUNG = MethodHandles.lookup().findVarHandle(Doorbell.class, "rung", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final UnsafeBuffer one = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8));
    private final UnsafeBuffer drained = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8));
    @SuppressWarnings("unused") // through RUNG
    private volatile boolean rung;
    private volatile boolean closed;

    public Doorbell() {
        fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("eventfd: errno " + LibC.errno());
        }
        one.putLong(0, 1L, ByteOrder.nativeOrder());
    }

    /** The fd the lane's thread polls. */
    public int fd() {
        return fd;
    }

    /** Any thread, after publishing work for the lane. Allocation-free. */
    public void ring() {
        if (!(boolean) RUNG.getAndSet(this, true)) {
            write();
        }
    }

    /** An unconditional write (stopping a thread). */
    void force() {
        write();
    }

    private void write() {
        if (!closed) {
            LibC.write(fd, one.addressOffset(), 8);
        }
    }

    /** The lane's thread, after ppoll reported the fd readable, before doing the work. */
    void consume() {
        LibC.read(fd, drained.addressOffset(), 8); // EAGAIN is fine: nothing to drain
        RUNG.setVolatile(this, false);
    }

    /** Only once nothing can ring any more. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
