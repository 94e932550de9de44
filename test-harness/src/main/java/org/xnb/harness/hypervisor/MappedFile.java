package org.xnb.harness.hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.xen.Errno;
import org.xnb.grant.xen.LibC;

/**
 * A file mapped {@code MAP_SHARED} read-write through libc, so that every process mapping it
 * sees the same bytes and the mapping goes away exactly when {@link #close} says (a
 * {@code MappedByteBuffer} would wait for the garbage collector). The fd stays open: grant
 * maps mmap single pages of it again.
 */
final class MappedFile implements AutoCloseable {
    private final Path path;
    private final int fd;
    private final long length;
    private final long address;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private MappedFile(Path path, int fd, long length, long address) {
        this.path = path;
        this.fd = fd;
        this.length = length;
        this.address = address;
        this.buffer = length == 0 ? new UnsafeBuffer(new byte[0]) : new UnsafeBuffer(address, (int) length);
    }

    /** Creates a zero-filled file of {@code length} bytes and maps it. */
    static MappedFile create(Path path, long length) {
        return open(path, length, LibC.O_CREAT);
    }

    /** Maps an existing file of {@code length} bytes. */
    static MappedFile open(Path path, long length) {
        return open(path, length, 0);
    }

    private static MappedFile open(Path path, long length, int createFlag) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": length " + length);
        }
        int fd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC | createFlag, 0600);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("open " + path + ": " + Errno.describe(LibC.errno())));
        }
        if (createFlag != 0 && LibC.ftruncate(fd, length) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new UncheckedIOException(new IOException("ftruncate " + path + ": " + Errno.describe(errno)));
        }
        long address = 0;
        if (length > 0) {
            address = LibC.mmap(0, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            if (address == LibC.MAP_FAILED) {
                int errno = LibC.errno();
                LibC.close(fd);
                throw new UncheckedIOException(new IOException("mmap " + path + ": " + Errno.describe(errno)));
            }
        }
        return new MappedFile(path, fd, length, address);
    }

    Path path() {
        return path;
    }

    int fd() {
        return fd;
    }

    long address() {
        return address;
    }

    long length() {
        return length;
    }

    UnsafeBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.wrap(new byte[0]);
        if (length > 0) {
            LibC.munmap(address, length);
        }
        LibC.close(fd);
    }
}
