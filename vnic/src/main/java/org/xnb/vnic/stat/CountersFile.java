package org.xnb.vnic.stat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The writer's side of the counters file ({@link CountersFileDescriptor}): Agrona's
 * {@link CountersManager} over a mapped file (or over plain memory, for tests and for a backend
 * run without a file). Allocating and freeing counters is control-path work and takes this
 * object's monitor; updating a counter is the owner thread's plain ordered store
 * ({@link AtomicCounter#incrementOrdered()}): one writer per counter, no lock, and each value has
 * its own 128-byte slot so two lanes never share a cache line.
 */
public final class CountersFile implements AutoCloseable {
    /** Freed slots are reused only after this long, so a reader does not mix up two owners. */
    public static final long FREE_TO_REUSE_MS = 1_000L;
    private final Path path;
    private final ByteBuffer mapped;
    private final CountersManager manager;
    private final int capacity;
    private boolean closed;

    private CountersFile(Path path, ByteBuffer mapped, int capacity) {
        this.path = path;
        this.mapped = mapped;
        this.capacity = capacity;
        UnsafeBuffer whole = new UnsafeBuffer(mapped);
        int meta = CountersFileDescriptor.metadataLength(capacity);
        int values = CountersFileDescriptor.valuesLength(capacity);
        AtomicBuffer metaBuffer = new UnsafeBuffer(whole, CountersFileDescriptor.HEADER_LENGTH, meta);
        AtomicBuffer valuesBuffer = new UnsafeBuffer(whole, CountersFileDescriptor.HEADER_LENGTH + meta, values);
        this.manager = new CountersManager(metaBuffer, valuesBuffer, StandardCharsets.US_ASCII,
                SystemEpochClock.INSTANCE, FREE_TO_REUSE_MS);
        whole.putLong(CountersFileDescriptor.MAGIC_OFFSET, CountersFileDescriptor.MAGIC);
        whole.putInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET, meta);
        whole.putInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET, values);
        whole.putInt(CountersFileDescriptor.PID_OFFSET, (int) ProcessHandle.current().pid());
        whole.putLong(CountersFileDescriptor.START_TIME_OFFSET, System.currentTimeMillis());
        whole.putIntOrdered(CountersFileDescriptor.VERSION_OFFSET, CountersFileDescriptor.VERSION);
    }

    /**
     * Creates (or replaces) the file at {@code path} sized for {@code capacity} counters and maps
     * it. The file is created with mode 0644: counters are not secret, tools read them as any user.
     */
    public static CountersFile create(Path path, int capacity) {
        checkCapacity(capacity);
        long length = CountersFileDescriptor.fileLength(capacity);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(path); // a reader of the old file keeps its own mapping
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--")); // whatever the umask
                MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
                return new CountersFile(path, buf, capacity);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("counters file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The same layout in process memory: counters nobody outside can read. */
    public static CountersFile inMemory(int capacity) {
        checkCapacity(capacity);
        ByteBuffer buf = BufferUtil.allocateDirectAligned((int) CountersFileDescriptor.fileLength(capacity), 4096);
        return new CountersFile(null, buf, capacity);
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 1 || capacity > CountersFileDescriptor.MAX_COUNTERS) {
            throw new IllegalArgumentException("counters capacity " + capacity + " is not in 1.."
                    + CountersFileDescriptor.MAX_COUNTERS);
        }
    }

    /**
     * A new counter (value 0) with a type, a key and a label.
     *
     * @throws IllegalStateException when the file is full
     */
    public synchronized AtomicCounter allocate(int typeId, DirectBuffer key, int keyLength, String label) {
        if (closed) {
            throw new IllegalStateException("counters file closed");
        }
        UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(StandardCharsets.US_ASCII));
        int id = manager.allocate(typeId, key, 0, keyLength, labelBuffer, 0, labelBuffer.capacity());
        return new AtomicCounter(manager.valuesBuffer(), id);
    }

    /** Gives the counter's slot back (reused after {@link #FREE_TO_REUSE_MS}); the counter must not be used after. */
    public synchronized void free(AtomicCounter counter) {
        if (!closed && !counter.isClosed()) {
            counter.close();
            manager.free(counter.id());
        }
    }

    /** Counters in use (allocated and not freed). */
    public synchronized int allocated() {
        int[] n = {0};
        manager.forEach((CountersReader.MetaData) (id, type, key, label) -> n[0]++);
        return n[0];
    }

    public int capacity() {
        return capacity;
    }

    /** The file, or null for {@link #inMemory}. */
    public Path path() {
        return path;
    }

    /** A reader over this process's own view (tests, and a backend answering show commands). */
    public CountersReader reader() {
        return manager;
    }

    /** Unmaps the file (it stays on disk for a post-mortem dlstat). Counters must not be used after. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (path != null && mapped instanceof MappedByteBuffer m) { // a direct buffer is one too
                m.force();
                IoUtil.unmap(m);
            }
        }
    }
}
