package org.xnb.xenstore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * xenstored's Unix-domain stream socket ({@code /var/run/xenstored/socket}). A blocking
 * {@link SocketChannel} lets one thread sit in {@code read} while another writes.
 */
public final class UnixSocketTransport implements XenstoreTransport {
    private final SocketChannel channel;
    private final Path path;

    private UnixSocketTransport(SocketChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /** Connects to the socket at {@code path}. */
    public static UnixSocketTransport connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to xenstored socket " + path + ": " + e.getMessage(), e);
        }
        return new UnixSocketTransport(ch, path);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /**
     * A SocketChannel is interruptible: a write by a thread whose interrupt flag is set would
     * close the channel and with it every other caller's requests. The flag is therefore
     * cleared for the write and restored afterwards (an interrupt that lands during the
     * write itself still closes the channel; the client then fails all pending requests).
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
