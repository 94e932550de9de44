package org.xnb.harness.xenstored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsMessageReader;
import org.xnb.xenstore.XsType;

/**
 * A test client that speaks raw frames: sends {@link XsMessage}s and reads replies with a
 * deadline, keeping watch events apart so tests can assert on both.
 */
final class RawClient implements AutoCloseable {
    static final long TIMEOUT_MS = 5_000;

    private final SocketChannel ch;
    private final Selector selector;
    private final XsMessageReader reader = new XsMessageReader();
    private final ByteBuffer in = ByteBuffer.allocate(65536);
    private final ArrayDeque<XsMessage> replies = new ArrayDeque<>();
    private final ArrayDeque<XsMessage> events = new ArrayDeque<>();
    private int nextReq = 1;

    RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.configureBlocking(false);
        selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
        in.flip();
    }

    void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    void send(XsMessage m) throws IOException {
        sendRaw(m.toBytes());
    }

    /** Sends a request and returns its reply (type, payload). */
    XsMessage call(XsType type, int tx, byte[] payload) throws IOException {
        int req = nextReq++;
        send(new XsMessage(type, req, tx, payload));
        XsMessage r = nextReply();
        assertEquals(req, r.reqId(), "reply to the wrong request");
        return r;
    }

    XsMessage call(XsType type, int tx, String... parts) throws IOException {
        return call(type, tx, XsMessage.nulJoined(parts));
    }

    XsMessage call(XsType type, String... parts) throws IOException {
        return call(type, 0, parts);
    }

    /** "OK" or the error name or the payload as text. */
    String text(XsType type, String... parts) throws IOException {
        return describe(call(type, 0, parts));
    }

    String textTx(XsType type, int tx, String... parts) throws IOException {
        return describe(call(type, tx, parts));
    }

    static String describe(XsMessage r) {
        String s = r.payloadString();
        return r.type() == XsType.ERROR ? "ERR:" + s : s;
    }

    String write(String path, String value) throws IOException {
        return writeTx(0, path, value);
    }

    String writeTx(int tx, String path, String value) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[p.length + 1 + v.length];
        System.arraycopy(p, 0, payload, 0, p.length);
        System.arraycopy(v, 0, payload, p.length + 1, v.length);
        return describe(call(XsType.WRITE, tx, payload));
    }

    String read(String path) throws IOException {
        return text(XsType.READ, path);
    }

    List<String> dir(String path) throws IOException {
        XsMessage r = call(XsType.DIRECTORY, 0, path);
        if (r.type() == XsType.ERROR) {
            return List.of("ERR:" + r.payloadString());
        }
        return r.payloadStrings(false);
    }

    int startTx() throws IOException {
        XsMessage r = call(XsType.TRANSACTION_START, 0, "");
        assertEquals(XsType.TRANSACTION_START, r.type(), describe(r));
        return Integer.parseInt(r.payloadString());
    }

    XsMessage nextReply() throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (replies.isEmpty()) {
            pump(deadline);
        }
        return replies.poll();
    }

    /** The next watch event as "path token". */
    String nextEvent() throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (events.isEmpty()) {
            pump(deadline);
        }
        List<String> s = events.poll().payloadStrings(false);
        return s.get(0) + " " + s.get(1);
    }

    /** Round-trips a request so that every event caused before it has arrived. */
    void sync() throws IOException {
        call(XsType.GET_DOMAIN_PATH, 0, "0");
    }

    /** Events received so far (after {@link #sync()}), as "path token". */
    List<String> drainEvents() throws IOException {
        sync();
        List<String> out = new java.util.ArrayList<>();
        for (XsMessage m; (m = events.poll()) != null; ) {
            List<String> s = m.payloadStrings(false);
            out.add(s.get(0) + " " + s.get(1));
        }
        return out;
    }

    /** True once the server has closed this connection (reads EOF within the timeout). */
    boolean closedByServer() throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            selector.select(50);
            selector.selectedKeys().clear();
            in.compact();
            int n;
            try {
                n = ch.read(in);
            } catch (IOException e) {
                return true;
            } finally {
                in.flip();
            }
            if (n < 0) {
                return true;
            }
            in.position(in.limit());
        }
        return false;
    }

    private void pump(long deadline) throws IOException {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            fail("no message from xenstored within " + TIMEOUT_MS + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        in.compact();
        int n = ch.read(in);
        in.flip();
        if (n < 0) {
            throw new IOException("xenstored closed the connection");
        }
        try {
            for (XsMessage m; (m = reader.next(in)) != null; ) {
                (m.type() == XsType.WATCH_EVENT ? events : replies).add(m);
            }
        } catch (XsMessageReader.ProtocolViolation e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        ch.close();
    }
}
