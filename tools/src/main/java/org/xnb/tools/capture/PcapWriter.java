package org.xnb.tools.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.DirectBuffer;

/**
 * A classic libpcap file ({@code pcap-savefile(5)}): the 24-byte global header with the
 * nanosecond magic {@code 0xa1b23c4d}, version 2.4, LINKTYPE_ETHERNET (1), then per frame a
 * 16-byte record header (seconds, nanoseconds, captured length, original length) and the bytes.
 * Written in the machine's byte order, as libpcap does (readers detect it from the magic).
 * Buffers records and writes them in batches; one thread.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int LINKTYPE_ETHERNET = 1;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final int snaplen;
    private long frames;

    public PcapWriter(Path file, int snaplen) throws IOException {
        this.snaplen = snaplen;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.buffer = ByteBuffer.allocateDirect(Math.max(1 << 20, 2 * (16 + snaplen))).order(ByteOrder.nativeOrder());
        buffer.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen)
                .putInt(LINKTYPE_ETHERNET);
    }

    /** Appends one frame; {@code capturedLength} bytes of it from {@code frame}. */
    public void write(long epochNanos, int originalLength, DirectBuffer frame, int offset, int capturedLength)
            throws IOException {
        if (capturedLength > snaplen || capturedLength > originalLength) {
            throw new IllegalArgumentException("captured " + capturedLength + " of " + originalLength + " > snaplen " + snaplen);
        }
        if (buffer.remaining() < 16 + capturedLength) {
            flush();
        }
        buffer.putInt((int) (epochNanos / 1_000_000_000L)).putInt((int) (epochNanos % 1_000_000_000L))
                .putInt(capturedLength).putInt(originalLength);
        frame.getBytes(offset, buffer, buffer.position(), capturedLength);
        buffer.position(buffer.position() + capturedLength);
        frames++;
    }

    /** Writes what is buffered to the file (so a reader sees every frame written so far). */
    public void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
