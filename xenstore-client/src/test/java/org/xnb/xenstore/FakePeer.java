package org.xnb.xenstore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A scripted xenstored stand-in for unit tests: a real Unix-domain socket on a temporary
 * path. It frames what the client sends and records every message; a test either answers by
 * hand ({@link #next}, {@link #send}) or installs a {@link #respondWith responder} that maps
 * each request to the messages to send back.
 */
public final class FakePeer implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final BlockingQueue<XsMessage> received = new LinkedBlockingQueue<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Function<XsMessage, List<XsMessage>> responder;

    public FakePeer() throws IOException {
        this.dir = Files.createTempDirectory("xnb-fakepeer");
        this.socket = dir.resolve("socket");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, "fakepeer-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    public Path socketPath() {
        return socket;
    }

    /** A client connected to this peer. */
    public XenstoreClient connect(XenstoreClientConfig config) throws IOException {
        return XenstoreClient.connect(UnixSocketTransport.connect(socket), config);
    }

    public XenstoreClient connect() throws IOException {
        return connect(XenstoreClientConfig.defaults().withRequestTimeout(Duration.ofSeconds(10)));
    }

    /** Answers every request from now on with what {@code f} returns (may be empty). */
    public void respondWith(Function<XsMessage, List<XsMessage>> f) {
        this.responder = f;
    }

    /** The next message the client sent, waiting up to 5 s. */
    public XsMessage next() throws InterruptedException {
        XsMessage m = received.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("the client sent nothing within 5 s");
        }
        return m;
    }

    /** A message received within {@code d}, or null. */
    public XsMessage poll(Duration d) throws InterruptedException {
        return received.poll(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends raw bytes to the (latest) client connection. */
    public synchronized void sendBytes(byte[] bytes) throws IOException {
        SocketChannel ch = latest();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    public void send(XsMessage m) throws IOException {
        sendBytes(m.toBytes());
    }

    /** A reply of the request's type and req_id with a NUL-terminated string payload. */
    public static XsMessage reply(XsMessage req, String... parts) {
        return new XsMessage(req.typeCode(), req.reqId(), req.txId(), XsMessage.nulJoined(parts));
    }

    public static XsMessage replyBytes(XsMessage req, byte[] payload) {
        return new XsMessage(req.typeCode(), req.reqId(), req.txId(), payload);
    }

    public static XsMessage error(XsMessage req, String name) {
        return new XsMessage(XsType.ERROR.code(), req.reqId(), req.txId(), XsMessage.nulJoined(name));
    }

    public static XsMessage ok(XsMessage req) {
        return reply(req, XsWire.OK);
    }

    public static XsMessage watchEvent(String path, String token) {
        return new XsMessage(XsType.WATCH_EVENT, 0, 0, XsMessage.nulJoined(path, token));
    }

    /** Closes the client connections (the server keeps listening). */
    public void dropConnections() throws IOException {
        for (SocketChannel c : connections) {
            c.close();
        }
    }

    private SocketChannel latest() {
        if (connections.isEmpty()) {
            throw new IllegalStateException("no client connected");
        }
        return connections.get(connections.size() - 1);
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel ch = server.accept();
                connections.add(ch);
                Thread t = new Thread(() -> readLoop(ch), "fakepeer-conn");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        } catch (IOException e) {
            // server closed
        }
    }

    private void readLoop(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        XsMessageReader framer = new XsMessageReader();
        try {
            while (ch.read(buf.clear()) >= 0) {
                buf.flip();
                XsMessage m;
                while ((m = framer.next(buf)) != null) {
                    received.add(m);
                    Function<XsMessage, List<XsMessage>> f = responder;
                    if (f != null) {
                        for (XsMessage r : f.apply(m)) {
                            synchronized (this) {
                                ByteBuffer out = ByteBuffer.wrap(r.toBytes());
                                while (out.hasRemaining()) {
                                    ch.write(out);
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | XsMessageReader.ProtocolViolation e) {
            // connection gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : connections) {
            c.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
