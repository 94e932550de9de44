package org.xnb.vnic.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.xnb.vnic.os.LibC;

/**
 * One queue of a TAP device: one non-blocking fd on {@code /dev/net/tun}. A frame read or written
 * here is a virtio-net header ({@link VirtioNetHeader}, {@link #vnetHeaderSize()} bytes) followed
 * directly by the Ethernet frame.
 *
 * <p>The frame calls take raw native addresses (an Agrona {@code UnsafeBuffer}'s
 * {@code addressOffset()}, a direct ByteBuffer's address, a mapped grant page) and allocate
 * nothing: {@code read}/{@code write} go straight to libc, {@code readv}/{@code writev} fill an
 * iovec array preallocated with the queue, {@link #awaitReadable} a preallocated pollfd. Because
 * of those scratch arrays a queue belongs to one thread at a time; different queues of one device
 * may run on different threads, which is what multi-queue is for.
 *
 * <p>Empty queue: {@code read} returns 0 rather than throwing, because EAGAIN is the normal state
 * of a polled fd. Any other error is a {@link TapException}.
 *
 * <p>Sizes and errors the kernel imposes (tun.c): a read buffer shorter than the frame gets the
 * frame truncated and the rest dropped, so read with at least {@link #MIN_READ_CAPACITY} bytes
 * when TSO offloads are on (header + MTU + 14 otherwise). A write fails with EIO while the
 * interface is down, and with EINVAL when the frame is shorter than the header plus an Ethernet
 * header or {@code hdr_len} (raised to cover the checksum field when NEEDS_CSUM) exceeds the
 * frame: netback must expect both, since the header comes from a guest.
 */
public final class TapQueue implements AutoCloseable {
    /** Largest GSO frame (64 KiB) plus a v1 header plus a VLAN tag, rounded up. */
    public static final int MIN_READ_CAPACITY = 65536 + 64;

    private final int fd;
    private final int index;
    private final String deviceName;
    private final int vnetHeaderSize;
    /** Two iovecs for readv/writev: [0] = header, [1] = frame. */
    private final Memory iov = new Memory(2L * LibC.IOVEC_SIZE);
    private final long iovAddress = Pointer.nativeValue(iov);
    private final Memory pollFd = new Memory(LibC.POLLFD_SIZE);
    private final long pollFdAddress = Pointer.nativeValue(pollFd);
    private volatile boolean closed;

    TapQueue(int fd, int index, String deviceName, int vnetHeaderSize) {
        this.fd = fd;
        this.index = index;
        this.deviceName = deviceName;
        this.vnetHeaderSize = vnetHeaderSize;
        pollFd.setInt(0, fd);
        pollFd.setShort(LibC.POLLFD_EVENTS, LibC.POLLIN);
    }

    /** The file descriptor, for callers that poll many queues at once ({@link FdPoller}). */
    public int fd() {
        return fd;
    }

    /** This queue's position in its device, 0-based. */
    public int index() {
        return index;
    }

    public String deviceName() {
        return deviceName;
    }

    /** Bytes of virtio-net header before every frame: 10 or 12. */
    public int vnetHeaderSize() {
        return vnetHeaderSize;
    }

    /**
     * Reads one frame (header + Ethernet frame) into {@code capacity} bytes at {@code address}.
     *
     * @return the bytes read (header included), or 0 when no frame is waiting
     */
    public int read(long address, int capacity) {
        checkBuffer(address, capacity);
        long n = LibC.read(fd, address, capacity);
        return n >= 0 ? (int) n : emptyOrThrow("read");
    }

    /**
     * Writes one frame (header + Ethernet frame) of {@code length} bytes at {@code address}.
     *
     * @return the bytes written, or 0 if the kernel asked us to retry (EAGAIN)
     */
    public int write(long address, int length) {
        checkBuffer(address, length);
        long n = LibC.write(fd, address, length);
        return n >= 0 ? (int) n : emptyOrThrow("write");
    }

    /**
     * Reads one frame with its header and its Ethernet frame going to separate places, e.g. the
     * header to a small scratch area and the frame straight into a guest's page.
     *
     * @return the bytes read (header included), or 0 when no frame is waiting
     */
    public int readv(long headerAddress, long frameAddress, int frameCapacity) {
        checkBuffer(headerAddress, vnetHeaderSize);
        checkBuffer(frameAddress, frameCapacity);
        fillIov(headerAddress, frameAddress, frameCapacity);
        long n = LibC.readv(fd, iovAddress, 2);
        return n >= 0 ? (int) n : emptyOrThrow("readv");
    }

    /**
     * Writes a header and an Ethernet frame that live in different places as one frame.
     *
     * @return the bytes written (header included), or 0 on EAGAIN
     */
    public int writev(long headerAddress, long frameAddress, int frameLength) {
        checkBuffer(headerAddress, vnetHeaderSize);
        checkBuffer(frameAddress, frameLength);
        fillIov(headerAddress, frameAddress, frameLength);
        long n = LibC.writev(fd, iovAddress, 2);
        return n >= 0 ? (int) n : emptyOrThrow("writev");
    }

    /**
     * Waits until a frame can be read or {@code timeoutMs} passes (0 = just check, negative =
     * forever). A signal ends the wait early, reported as "not readable".
     */
    public boolean awaitReadable(int timeoutMs) {
        ensureOpen();
        pollFd.setShort(LibC.POLLFD_REVENTS, (short) 0);
        int n = LibC.poll(pollFdAddress, 1, timeoutMs);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EINTR) {
                return false;
            }
            throw TapException.of("poll", deviceName, errno);
        }
        short revents = pollFd.getShort(LibC.POLLFD_REVENTS);
        if ((revents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
            throw new TapException("poll (" + deviceName + " queue " + index + ") reports error events 0x"
                    + Integer.toHexString(revents & 0xffff), LibC.EIO);
        }
        return (revents & LibC.POLLIN) != 0;
    }

    /**
     * TUNSETQUEUE: detaches this queue from its multi-queue device (the kernel stops steering
     * flows to it; the fd stays open) or attaches it again. For taking a channel out of service
     * without closing it, e.g. when a guest's queue stalls.
     */
    public void setAttached(boolean attached) {
        ensureOpen();
        try (Memory ifreq = new Memory(IfTun.IFREQ_SIZE)) {
            ifreq.clear();
            ifreq.setShort(IfTun.IFREQ_FLAGS_OFFSET, (short) (attached ? IfTun.IFF_ATTACH_QUEUE : IfTun.IFF_DETACH_QUEUE));
            if (LibC.ioctl(fd, IfTun.TUNSETQUEUE, ifreq) < 0) {
                throw TapException.of(attached ? "TUNSETQUEUE attach" : "TUNSETQUEUE detach",
                        deviceName + " queue " + index, LibC.errno());
            }
        }
    }

    private void fillIov(long headerAddress, long frameAddress, int frameLength) {
        iov.setLong(0, headerAddress);
        iov.setLong(LibC.IOVEC_LEN, vnetHeaderSize);
        iov.setLong(LibC.IOVEC_SIZE, frameAddress);
        iov.setLong(LibC.IOVEC_SIZE + LibC.IOVEC_LEN, frameLength);
    }

    private int emptyOrThrow(String op) {
        int errno = LibC.errno();
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return 0;
        }
        if (closed) {
            throw new TapException(op + " on closed queue " + index + " of " + deviceName, errno);
        }
        throw TapException.of(op, deviceName + " queue " + index, errno);
    }

    private void checkBuffer(long address, int length) {
        if (address == 0 || length < 0) {
            throw new IllegalArgumentException("bad buffer: address 0x" + Long.toHexString(address) + " length " + length);
        }
        ensureOpen();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("queue " + index + " of " + deviceName + " is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the fd; the last close of a non-persistent device removes the interface. Stop the
     * thread that uses this queue first: closing an fd does not wake a poll(2) blocked on it, and
     * the fd number may be reused at once by another open.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }

    @Override
    public String toString() {
        return deviceName + "[queue " + index + ", fd " + fd + "]";
    }
}
