package org.xnb.xenstore;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The xenbus character device ({@code /dev/xen/xenbus}): the kernel relays whole xenstore
 * messages to xenstored over the shared ring. The device is opened read-write once; reads
 * and writes go through separate stream views of the same descriptor because a
 * {@code FileChannel} serialises reads and writes behind one position lock, which would
 * stall every request while the reader thread is blocked in {@code read}.
 */
public final class XenbusDeviceTransport implements XenstoreTransport {
    private final RandomAccessFile file;
    private final FileInputStream in;
    private final FileOutputStream out;
    private final Path path;
    private final byte[] readChunk = new byte[XsWire.HEADER_SIZE + XsWire.PAYLOAD_MAX];
    private final byte[] writeChunk = new byte[XsWire.HEADER_SIZE + XsWire.PAYLOAD_MAX];

    private XenbusDeviceTransport(RandomAccessFile file, Path path) throws IOException {
        this.file = file;
        this.in = new FileInputStream(file.getFD());
        this.out = new FileOutputStream(file.getFD());
        this.path = path;
    }

    /** Opens the device at {@code path} read-write. */
    public static XenbusDeviceTransport open(Path path) throws IOException {
        RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw");
        try {
            return new XenbusDeviceTransport(f, path);
        } catch (IOException e) {
            f.close();
            throw e;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int want = Math.min(dst.remaining(), readChunk.length);
        int n = in.read(readChunk, 0, want);
        if (n > 0) {
            dst.put(readChunk, 0, n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        // The kernel accepts a message in pieces, but one write per message is what
        // libxenstore does and keeps the device's reassembly trivial.
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), writeChunk.length);
            src.get(writeChunk, 0, n);
            out.write(writeChunk, 0, n);
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
