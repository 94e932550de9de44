package org.xnb.tools.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The commands' side of the admin socket (the JDK's Unix-domain {@link SocketChannel}; no Netty
 * needed for one request): connect, write one line, read one line, with a deadline.
 */
public final class AdminClient {
    static final long TIMEOUT_MS = 30_000;

    private AdminClient() {
    }

    /** Whether a daemon accepts connections on {@code socket}. */
    static boolean listening(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends {@code request} to the daemon on {@code socket} and returns its answer.
     *
     * @throws AdminUnavailableException when no daemon listens there (or we may not connect)
     */
    public static AdminResponse call(Path socket, AdminRequest request) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("Permission denied")) {
                    throw new AdminUnavailableException("cannot connect to " + socket
                            + ": permission denied (the admin socket is root's, mode 0600: run as root)");
                }
                throw new AdminUnavailableException("no xnb daemon is listening on " + socket
                        + " (start one with 'bin/xnb daemon' or 'bin/xnb harness up', or give --admin-socket PATH)");
            }
            ByteBuffer out = ByteBuffer.wrap((AdminCodec.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return AdminCodec.response(readLine(ch, socket));
        } catch (IOException e) {
            throw new AdminUnavailableException("admin socket " + socket + ": " + e.getMessage());
        }
    }

    private static String readLine(SocketChannel ch, Path socket) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new AdminUnavailableException("the daemon on " + socket + " did not answer within "
                            + TIMEOUT_MS / 1000 + " s");
                }
                sel.select(left);
                sel.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    throw new AdminUnavailableException("the daemon on " + socket + " closed the connection without"
                            + " an answer");
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
                if (line.size() > AdminCodec.MAX_LINE) {
                    throw new AdminUnavailableException("the daemon's answer is longer than " + AdminCodec.MAX_LINE
                            + " bytes");
                }
            }
        }
    }
}
