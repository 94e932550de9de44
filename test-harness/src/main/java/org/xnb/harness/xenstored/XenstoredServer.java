package org.xnb.harness.xenstored;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsMessage;
import org.xnb.xenstore.XsMessageReader;

/**
 * The harness xenstored: C xenstored's behaviour (Xen 4.17) on Unix sockets, so that netback
 * and Debian's xenstore-utils can run against it without Xen.
 *
 * <h2>Design</h2>
 * One event-loop thread runs a {@link Selector} over non-blocking Java 17 Unix-domain channels
 * and does every tree operation, exactly as C xenstored is single-threaded: no locks, and
 * requests are atomic with respect to each other. (Netty would add a dependency and a thread
 * model to fight for no gain at these message rates.) Other threads talk to it only through
 * a bounded command queue ({@link #introduceDomain}, {@link #releaseDomain}, {@link #close}).
 *
 * <h2>Sockets and domains</h2>
 * Connections on the main socket act as dom0 (privileged). When a domain is introduced (by an
 * INTRODUCE request or {@link #introduceDomain}) a socket {@code <socket>-dom<N>} appears;
 * connections on it act as domain N, unprivileged, with relative paths below
 * {@code /local/domain/N}. RELEASE closes them and removes that socket; {@link #close} removes
 * every socket file.
 */
public final class XenstoredServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenstoredServer.class.getName());
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int COMMAND_QUEUE = 64;
    private static final long COMMAND_TIMEOUT_MS = 10_000;
    /** Write replies out early when this many are waiting, so pipelined clients do not overflow. */
    private static final int EARLY_FLUSH = 64;

    private final Path socketPath;
    private final XenstoredConfig config;
    private final Selector selector;
    private final NodeStore store = new NodeStore();
    private final SpecialNodes special = new SpecialNodes();
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final WatchFirer firer = new WatchFirer(connections, store, special);
    private final RequestHandler handler;
    private final DomainNodes domainNodes;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final BlockingQueue<FutureTask<?>> commands = new ArrayBlockingQueue<>(COMMAND_QUEUE);
    private final Thread loop;
    private volatile boolean running = true;
    private volatile int connectionCount;
    private volatile int watchCount;
    private volatile long droppedConnections;
    private long nextSerial;

    /** A listening socket and the domain its connections act as. */
    private record Listener(int domid, Path path, ServerSocketChannel channel) {
    }

    private XenstoredServer(Path socketPath, XenstoredConfig config) throws IOException {
        this.socketPath = socketPath.toAbsolutePath();
        this.config = config;
        this.domainNodes = new DomainNodes(store, new NodeOps(config.quotas()), firer);
        this.handler = new RequestHandler(store, config.quotas(), firer, special, new Domains());
        this.selector = Selector.open();
        try {
            listen(0, this.socketPath);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
        this.loop = new Thread(this::run, "xenstored");
        this.loop.setDaemon(true);
    }

    /** Starts a server with C's defaults listening on {@code socket}. */
    public static XenstoredServer start(Path socket) throws IOException {
        return start(socket, XenstoredConfig.DEFAULTS);
    }

    public static XenstoredServer start(Path socket, XenstoredConfig config) throws IOException {
        XenstoredServer s = new XenstoredServer(socket, config);
        s.loop.start();
        return s;
    }

    /** The main (dom0) socket. */
    public Path socketPath() {
        return socketPath;
    }

    /** Where domain {@code domid}'s socket is (or will be once it is introduced). */
    public Path domainSocketPath(int domid) {
        return socketPath.resolveSibling(socketPath.getFileName() + "-dom" + domid);
    }

    /**
     * Introduces a domain as an INTRODUCE from dom0 would: creates its socket and
     * {@code /local/domain/<domid>} (owned by it), fires {@code @introduceDomain}.
     *
     * @return the domain's socket
     */
    public Path introduceDomain(int domid) {
        if (domid <= 0 || domid > 0xffff) {
            throw new IllegalArgumentException("domain id must be 1..65535: " + domid);
        }
        onLoop(() -> {
            new Domains().introduce(domid);
            return null;
        });
        return domainSocketPath(domid);
    }

    /** Releases a domain as a RELEASE from dom0 would. */
    public void releaseDomain(int domid) {
        onLoop(() -> {
            new Domains().release(domid);
            return null;
        });
    }

    public boolean isIntroduced(int domid) {
        return onLoop(() -> listeners.containsKey(domid) && domid != 0);
    }

    /** Open client connections, all sockets together. */
    public int connectionCount() {
        return connectionCount;
    }

    /** Registered watches over all connections. */
    public int watchCount() {
        return watchCount;
    }

    /** Connections dropped for misbehaving (bad framing, not reading their replies). */
    public long droppedConnections() {
        return droppedConnections;
    }

    /** Stops the loop, closes every connection and removes every socket file. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        if (Thread.currentThread() == loop) {
            return; // the loop ends after this command and cleans up itself
        }
        try {
            loop.join(COMMAND_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "xenstored: event loop did not stop within "
                    + COMMAND_TIMEOUT_MS + " ms");
        }
    }

    /** Waits until the server has stopped (for the CLI's foreground mode). */
    public void awaitStop() throws InterruptedException {
        loop.join();
    }

    private <T> T onLoop(Callable<T> c) {
        if (Thread.currentThread() == loop) {
            try {
                return c.call();
            } catch (Exception e) {
                throw asRuntime(e);
            }
        }
        if (!running) {
            throw new IllegalStateException("xenstored is stopped");
        }
        FutureTask<T> task = new FutureTask<>(c);
        try {
            if (!commands.offer(task, COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("xenstored command queue is full");
            }
            selector.wakeup();
            return task.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("xenstored did not answer within " + COMMAND_TIMEOUT_MS + " ms");
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof XsFailure f) {
            return new IllegalStateException(f.error().name());
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    // ---- event loop ------------------------------------------------------------------------

    private void run() {
        try {
            while (running) {
                selector.select();
                runCommands();
                for (SelectionKey key : selector.selectedKeys()) {
                    serve(key);
                }
                selector.selectedKeys().clear();
                flushAll();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "xenstored event loop failed", e);
        } finally {
            running = false;
            shutdown();
            for (FutureTask<?> t; (t = commands.poll()) != null; ) {
                t.cancel(false);
            }
        }
    }

    private void runCommands() {
        for (int i = 0; i < COMMAND_QUEUE; i++) {
            FutureTask<?> t = commands.poll();
            if (t == null) {
                break;
            }
            t.run();
        }
        flushAll();
    }

    private void serve(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Listener l) {
            if (key.isAcceptable()) {
                accept(l);
            }
            return;
        }
        Connection conn = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                read(conn);
            }
            if (key.isValid() && key.isWritable()) {
                flush(conn);
            }
        } catch (IOException e) {
            close(conn, null);
        }
    }

    private void accept(Listener l) {
        try {
            SocketChannel ch = l.channel().accept();
            if (ch == null) {
                return;
            }
            if (connections.size() >= config.maxConnections()) {
                droppedConnections++;
                LOG.log(System.Logger.Level.WARNING, "xenstored: refusing a connection on " + l.path()
                        + ": " + config.maxConnections() + " connections are open");
                ch.close();
                return;
            }
            ch.configureBlocking(false);
            Connection conn = new Connection(++nextSerial, ch, new Caller(l.domid()), config.maxQueuedReplies());
            ch.register(selector, SelectionKey.OP_READ, conn);
            connections.add(conn);
            updateCounters();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "xenstored: accept on " + l.path() + " failed: " + e);
        }
    }

    private void read(Connection conn) throws IOException {
        readBuffer.clear();
        int n = conn.channel().read(readBuffer);
        if (n < 0) {
            close(conn, conn.reader().midMessage() ? "closed in the middle of a message" : null);
            return;
        }
        readBuffer.flip();
        while (readBuffer.hasRemaining() && connections.contains(conn)) {
            XsMessage m;
            try {
                m = conn.reader().next(readBuffer);
            } catch (XsMessageReader.ProtocolViolation e) {
                close(conn, e.getMessage());
                return;
            }
            if (m == null) {
                break;
            }
            handler.handle(conn, m);
            if (conn.queued() >= EARLY_FLUSH) {
                flush(conn);
            }
        }
    }

    private void flushAll() {
        for (Connection c : new ArrayList<>(connections)) {
            try {
                flush(c);
            } catch (IOException e) {
                close(c, null);
            }
        }
        updateCounters();
    }

    private void flush(Connection conn) throws IOException {
        if (conn.overflowed()) {
            close(conn, "it does not read: more than " + config.maxQueuedReplies()
                    + " replies and watch events waiting");
            return;
        }
        if (!connections.contains(conn)) {
            return;
        }
        SelectionKey key = conn.channel().keyFor(selector);
        boolean done = conn.flush();
        if (key != null && key.isValid()) {
            key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /**
     * Drops a connection with its watches and transactions (C's {@code ignore_connection} and
     * destructor). A reason means the client misbehaved; it is logged.
     */
    private void close(Connection conn, String reason) {
        if (!connections.remove(conn)) {
            return;
        }
        if (reason != null) {
            droppedConnections++;
            LOG.log(System.Logger.Level.WARNING, "xenstored: dropping " + conn + ": " + reason);
        }
        try {
            conn.channel().close();
        } catch (IOException ignored) {
            // closing a socket we are abandoning anyway
        }
        updateCounters();
    }

    private void updateCounters() {
        int w = 0;
        for (Connection c : connections) {
            w += c.watches().size();
        }
        watchCount = w;
        connectionCount = connections.size();
    }

    private void listen(int domid, Path path) throws IOException {
        removeStaleSocket(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            ch.configureBlocking(false);
            Listener l = new Listener(domid, path, ch);
            ch.register(selector, SelectionKey.OP_ACCEPT, l);
            listeners.put(domid, l);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
    }

    /** A socket file nobody listens on is left over from a crash: replace it (as C unlinks). */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("another server is listening on " + path);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another server")) {
                throw e;
            }
            Files.deleteIfExists(path);
        }
    }

    private void unlisten(Listener l) {
        try {
            SelectionKey k = l.channel().keyFor(selector);
            if (k != null) {
                k.cancel();
            }
            l.channel().close();
            Files.deleteIfExists(l.path());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "xenstored: cannot remove " + l.path() + ": " + e);
        }
    }

    private void shutdown() {
        for (Connection c : new ArrayList<>(connections)) {
            close(c, null);
        }
        for (Listener l : new ArrayList<>(listeners.values())) {
            unlisten(l);
        }
        listeners.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // shutting down
        }
        updateCounters();
    }

    /** INTRODUCE / RELEASE ({@code xenstored_domain.c}), run on the loop thread. */
    private final class Domains implements DomainRegistry {
        @Override
        public void introduce(int domid) throws XsFailure {
            if (listeners.containsKey(domid)) {
                // introduce_domain on an introduced domain: no event; do_introduce then resets
                // the domain's connection (domain_conn_reset): watches and transactions go
                for (Connection c : connections) {
                    if (c.caller().domid() == domid) {
                        c.watches().clear();
                        c.transactions().clear();
                    }
                }
                updateCounters();
                return;
            }
            try {
                listen(domid, domainSocketPath(domid));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "xenstored: " + e.getMessage());
                throw new XsFailure(XsError.EIO);
            }
            domainNodes.introduced(domid);
        }

        /**
         * Closes the domain's connections (their watches and transactions go with them, as C's
         * {@code do_release} frees the domain's connection) and its socket; then the tree side.
         */
        @Override
        public void release(int domid) throws XsFailure {
            Listener l = listeners.get(domid);
            if (l == null || domid == 0) {
                throw new XsFailure(XsError.ENOENT);
            }
            for (Connection c : new ArrayList<>(connections)) {
                if (c.caller().domid() == domid) {
                    close(c, null);
                }
            }
            listeners.remove(domid);
            unlisten(l);
            domainNodes.released(domid);
        }

        @Override
        public boolean isIntroduced(int domid) {
            return domid != 0 && listeners.containsKey(domid);
        }
    }
}
