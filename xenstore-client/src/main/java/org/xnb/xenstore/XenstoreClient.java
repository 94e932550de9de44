package org.xnb.xenstore;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A pipelined xenstore client: any number of requests may be in flight; replies are matched
 * to requests by {@code req_id}, so xenstored (or a test) may answer in any order.
 *
 * <pre>
 *  caller threads --send()--> [write lock: header+payload into one buffer] --> transport
 *                                                                                  |
 *  futures <--complete-- reader thread <--XsMessageReader-- transport <------------+
 *                              |
 *                              +--WATCH_EVENT--> WatchDispatcher (bounded, never blocks)
 * </pre>
 *
 * <p>The reader thread completes futures directly (no hand-off), so callbacks attached to the
 * {@code ...Async} futures run on it and must not block; the blocking methods detect a call
 * from the reader thread and refuse it rather than deadlock. Watch listeners run on a
 * separate dispatcher thread and may use the blocking API.
 *
 * <p>Values are bytes; the {@code String} variants encode UTF-8. A request whose payload
 * exceeds {@link XsWire#PAYLOAD_MAX} is rejected before anything is sent.
 */
public final class XenstoreClient implements AutoCloseable {
    private static final int READ_BUFFER = 64 * 1024;
    private static final byte[] EMPTY_STRING_ARG = {0};

    private final XenstoreTransport transport;
    private final XenstoreClientConfig config;
    private final ConcurrentHashMap<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextReqId = new AtomicInteger(1);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer writeBuf = ByteBuffer.allocateDirect(XsWire.HEADER_SIZE + XsWire.PAYLOAD_MAX)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final AtomicReference<XenstoreConnectionException> closed = new AtomicReference<>();
    private final AtomicLong unmatchedReplies = new AtomicLong();
    private final AtomicLong transactionAttempts = new AtomicLong();
    private final WatchDispatcher watches;
    private final Thread reader;

    private XenstoreClient(XenstoreTransport transport, XenstoreClientConfig config) {
        this.transport = transport;
        this.config = config;
        String name = "xenstore-" + transport.describe();
        this.watches = new WatchDispatcher(config.watchQueueCapacity(), name + "-watches");
        this.reader = new Thread(this::readLoop, name + "-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** A client over an already open transport; the client owns and closes it. */
    public static XenstoreClient connect(XenstoreTransport transport, XenstoreClientConfig config) {
        return new XenstoreClient(transport, config);
    }

    public static XenstoreClient connect(XenstoreTransport transport) {
        return connect(transport, XenstoreClientConfig.defaults());
    }

    /** Connects the way libxenstore's {@code xs_open()} does (see {@link TransportLocator}). */
    public static XenstoreClient open(Map<String, String> env) throws IOException {
        return connect(TransportLocator.open(env, TransportLocator.SYSTEM));
    }

    public static XenstoreClient open() throws IOException {
        return open(System.getenv());
    }

    public XenstoreClientConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ sending and receiving

    /**
     * Sends one request and returns the future of its reply (an ERROR reply completes it
     * with a {@link XenstoreException}). {@code subject} only words error messages.
     */
    CompletableFuture<XsMessage> send(XsType type, int txId, byte[] payload, String subject) {
        if (payload.length > XsWire.PAYLOAD_MAX) {
            throw new IllegalArgumentException(type.name() + (subject == null ? "" : " " + abbreviate(subject))
                    + ": request payload of " + payload.length + " bytes exceeds XENSTORE_PAYLOAD_MAX ("
                    + XsWire.PAYLOAD_MAX + ")");
        }
        PendingRequest p = new PendingRequest(type, subject);
        XenstoreConnectionException down = closed.get();
        if (down != null) {
            p.completeExceptionally(down);
            return p;
        }
        int id;
        do {
            id = nextReqId.getAndIncrement();
        } while (pending.putIfAbsent(id, p) != null); // ends: at most pending.size() ids are taken
        writeLock.lock();
        try {
            writeBuf.clear();
            writeBuf.putInt(type.code()).putInt(id).putInt(txId).putInt(payload.length).put(payload);
            writeBuf.flip();
            transport.write(writeBuf);
        } catch (IOException e) {
            connectionLost(new XenstoreConnectionException("cannot write to xenstored at "
                    + transport.describe() + ": " + e.getMessage(), e));
        } finally {
            writeLock.unlock();
        }
        // connectionLost() may have swept the map before our entry was in it.
        down = closed.get();
        if (down != null && pending.remove(id, p)) {
            p.completeExceptionally(down);
        }
        return p;
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(READ_BUFFER);
        XsMessageReader framer = new XsMessageReader();
        try {
            while (true) {
                buf.clear();
                int n = transport.read(buf);
                if (n < 0) {
                    throw new EOFException("xenstored closed the connection");
                }
                buf.flip();
                XsMessage m;
                while ((m = framer.next(buf)) != null) {
                    dispatch(m);
                }
            }
        } catch (IOException | XsMessageReader.ProtocolViolation | RuntimeException e) {
            connectionLost(new XenstoreConnectionException("connection to xenstored at " + transport.describe()
                    + " lost: " + e.getMessage(), e));
        }
    }

    private void dispatch(XsMessage m) {
        if (m.typeCode() == XsType.WATCH_EVENT.code()) {
            watches.onEvent(m);
            return;
        }
        PendingRequest p = pending.remove(m.reqId());
        if (p == null) {
            unmatchedReplies.incrementAndGet();
            return;
        }
        p.completeFrom(m);
    }

    private void connectionLost(XenstoreConnectionException cause) {
        closed.compareAndSet(null, cause);
        XenstoreConnectionException why = closed.get();
        for (Integer id : pending.keySet()) {
            PendingRequest p = pending.remove(id);
            if (p != null) {
                p.completeExceptionally(why);
            }
        }
        watches.unregisterAll();
        watches.stop();
        try {
            transport.close();
        } catch (IOException ignored) {
            // already broken; nothing more to report
        }
    }

    /** Closes the connection; pending requests fail with {@link XenstoreConnectionException}. */
    @Override
    public void close() {
        connectionLost(new XenstoreConnectionException("xenstore client closed"));
        if (Thread.currentThread() != reader) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isOpen() {
        return closed.get() == null;
    }

    /** Replies whose req_id matched no pending request (late replies after a timeout). */
    public long unmatchedReplies() {
        return unmatchedReplies.get();
    }

    /** Watch events dropped because the dispatcher queue was full (each caused a re-fire). */
    public long watchEventsDropped() {
        return watches.dropped();
    }

    /** Watches re-fired with their own path after an overflow. */
    public long watchEventsRefired() {
        return watches.refired();
    }

    /** Watch events handed to listeners. */
    public long watchEventsDelivered() {
        return watches.delivered();
    }

    /** Times {@link #transaction} ran its closure, over the client's life. */
    public long transactionAttempts() {
        return transactionAttempts.get();
    }

    // ------------------------------------------------------------------ async API

    public CompletableFuture<byte[]> readAsync(String path) {
        return readAsync(0, path);
    }

    public CompletableFuture<String> readStringAsync(String path) {
        return readAsync(path).thenApply(XenstoreClient::utf8);
    }

    public CompletableFuture<Void> writeAsync(String path, byte[] value) {
        return writeAsync(0, path, value);
    }

    public CompletableFuture<Void> writeAsync(String path, String value) {
        return writeAsync(path, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Child names; falls back to DIRECTORY_PART when the list is too big for one reply. */
    public CompletableFuture<List<String>> directoryAsync(String path) {
        return directoryAsync(0, path);
    }

    /** True if READ succeeds, false on ENOENT (what {@code xenstore-exists} checks). */
    public CompletableFuture<Boolean> existsAsync(String path) {
        return existsAsync(0, path);
    }

    public CompletableFuture<Void> mkdirAsync(String path) {
        return mkdirAsync(0, path);
    }

    public CompletableFuture<Void> rmAsync(String path) {
        return rmAsync(0, path);
    }

    public CompletableFuture<XsPermissions> getPermissionsAsync(String path) {
        return getPermissionsAsync(0, path);
    }

    public CompletableFuture<Void> setPermissionsAsync(String path, XsPermissions perms) {
        return setPermissionsAsync(0, path, perms);
    }

    /**
     * Registers a watch. The listener is registered before WATCH is sent, so the event
     * xenstored fires right after a new watch is never missed. Tokens must be unique per
     * client (events are routed by token).
     */
    public CompletableFuture<XsWatch> watchAsync(String path, String token, WatchListener listener) {
        XsWatch w = new XsWatch(this, path, token, listener);
        byte[] payload = XsMessage.nulJoined(checkArg(path), checkArg(token));
        watches.register(w);
        CompletableFuture<XsMessage> f;
        try {
            f = send(XsType.WATCH, 0, payload, path);
        } catch (RuntimeException e) {
            watches.unregister(w);
            throw e;
        }
        return f.handle((m, ex) -> {
            if (ex != null) {
                watches.unregister(w);
                throw ex instanceof CompletionException ce ? ce : new CompletionException(ex);
            }
            return w;
        });
    }

    /** Sends UNWATCH for a path and token; prefer {@link XsWatch#close()}. */
    public CompletableFuture<Void> unwatchAsync(String path, String token) {
        return send(XsType.UNWATCH, 0, XsMessage.nulJoined(checkArg(path), checkArg(token)), path)
                .thenApply(m -> null);
    }

    /** Starts a transaction; the future yields its id. */
    public CompletableFuture<Integer> transactionStartAsync() {
        return send(XsType.TRANSACTION_START, 0, EMPTY_STRING_ARG, null)
                .thenApply(m -> parseUnsigned(m.payloadString(), "transaction id"));
    }

    /** Ends a transaction: commit ("T") or abort ("F"). EAGAIN means "conflict, run again". */
    public CompletableFuture<Void> transactionEndAsync(int txId, boolean commit) {
        return send(XsType.TRANSACTION_END, txId, XsMessage.nulJoined(commit ? "T" : "F"),
                "tx " + Integer.toUnsignedString(txId)).thenApply(m -> null);
    }

    /** Tells xenstored about a new domain's store ring page and event channel. */
    public CompletableFuture<Void> introduceAsync(int domid, long mfn, int port) {
        return send(XsType.INTRODUCE, 0, XsMessage.nulJoined(Integer.toUnsignedString(domid),
                Long.toUnsignedString(mfn), Integer.toUnsignedString(port)), "domain " + domid)
                .thenApply(m -> null);
    }

    public CompletableFuture<Void> releaseAsync(int domid) {
        return send(XsType.RELEASE, 0, XsMessage.nulJoined(Integer.toUnsignedString(domid)), "domain " + domid)
                .thenApply(m -> null);
    }

    public CompletableFuture<String> getDomainPathAsync(int domid) {
        return send(XsType.GET_DOMAIN_PATH, 0, XsMessage.nulJoined(Integer.toUnsignedString(domid)),
                "domain " + domid).thenApply(XsMessage::payloadString);
    }

    /** Like libxenstore: anything but "F" means introduced. */
    public CompletableFuture<Boolean> isDomainIntroducedAsync(int domid) {
        return send(XsType.IS_DOMAIN_INTRODUCED, 0, XsMessage.nulJoined(Integer.toUnsignedString(domid)),
                "domain " + domid).thenApply(m -> !"F".equals(m.payloadString()));
    }

    /** Drops every watch of this connection in xenstored, and locally. */
    public CompletableFuture<Void> resetWatchesAsync() {
        return send(XsType.RESET_WATCHES, 0, EMPTY_STRING_ARG, null).thenApply(m -> {
            watches.unregisterAll();
            return null;
        });
    }

    // ---- the same with a transaction id (used by Transaction)

    CompletableFuture<byte[]> readAsync(int txId, String path) {
        return send(XsType.READ, txId, XsMessage.nulJoined(checkArg(path)), path).thenApply(XsMessage::payload);
    }

    CompletableFuture<Void> writeAsync(int txId, String path, byte[] value) {
        byte[] p = checkArg(path).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[p.length + 1 + value.length];
        System.arraycopy(p, 0, payload, 0, p.length);
        System.arraycopy(value, 0, payload, p.length + 1, value.length);
        return send(XsType.WRITE, txId, payload, path).thenApply(m -> null);
    }

    CompletableFuture<List<String>> directoryAsync(int txId, String path) {
        return send(XsType.DIRECTORY, txId, XsMessage.nulJoined(checkArg(path)), path)
                .thenApply(m -> m.payloadStrings(false))
                .exceptionallyCompose(ex -> {
                    Throwable c = unwrap(ex);
                    if (c instanceof XenstoreException xe && xe.error() == XsError.E2BIG) {
                        return new DirectoryPartReader(this, txId, path, config.maxDirectoryRestarts()).start();
                    }
                    return CompletableFuture.failedFuture(c);
                });
    }

    CompletableFuture<Boolean> existsAsync(int txId, String path) {
        return readAsync(txId, path).handle((v, ex) -> {
            if (ex == null) {
                return true;
            }
            Throwable c = unwrap(ex);
            if (c instanceof XenstoreException xe && xe.error() == XsError.ENOENT) {
                return false;
            }
            throw new CompletionException(c);
        });
    }

    CompletableFuture<Void> mkdirAsync(int txId, String path) {
        return send(XsType.MKDIR, txId, XsMessage.nulJoined(checkArg(path)), path).thenApply(m -> null);
    }

    CompletableFuture<Void> rmAsync(int txId, String path) {
        return send(XsType.RM, txId, XsMessage.nulJoined(checkArg(path)), path).thenApply(m -> null);
    }

    CompletableFuture<XsPermissions> getPermissionsAsync(int txId, String path) {
        return send(XsType.GET_PERMS, txId, XsMessage.nulJoined(checkArg(path)), path)
                .thenApply(m -> XsPermissions.fromStrings(m.payloadStrings(false)));
    }

    CompletableFuture<Void> setPermissionsAsync(int txId, String path, XsPermissions perms) {
        String[] entries = perms.toStrings();
        String[] args = new String[entries.length + 1];
        args[0] = checkArg(path);
        System.arraycopy(entries, 0, args, 1, entries.length);
        return send(XsType.SET_PERMS, txId, XsMessage.nulJoined(args), path).thenApply(m -> null);
    }

    // ------------------------------------------------------------------ blocking API

    public byte[] read(String path) {
        return await(readAsync(path));
    }

    public String readString(String path) {
        return utf8(read(path));
    }

    public void write(String path, byte[] value) {
        await(writeAsync(path, value));
    }

    public void write(String path, String value) {
        await(writeAsync(path, value));
    }

    public List<String> directory(String path) {
        return await(directoryAsync(path));
    }

    public boolean exists(String path) {
        return await(existsAsync(path));
    }

    public void mkdir(String path) {
        await(mkdirAsync(path));
    }

    public void rm(String path) {
        await(rmAsync(path));
    }

    public XsPermissions getPermissions(String path) {
        return await(getPermissionsAsync(path));
    }

    public void setPermissions(String path, XsPermissions perms) {
        await(setPermissionsAsync(path, perms));
    }

    /** Watches {@code path}; close the returned handle to unwatch. */
    public XsWatch watch(String path, String token, WatchListener listener) {
        return await(watchAsync(path, token, listener));
    }

    /** Unwatches and stops delivery; used by {@link XsWatch#close()}. */
    void unwatch(XsWatch w) {
        if (!w.isActive()) {
            return;
        }
        watches.unregister(w);
        if (isOpen()) {
            await(unwatchAsync(w.path(), w.token()));
        }
    }

    public int transactionStart() {
        return await(transactionStartAsync());
    }

    public void transactionEnd(int txId, boolean commit) {
        await(transactionEndAsync(txId, commit));
    }

    /** A view of the operations inside an already started transaction. */
    public Transaction inTransaction(int txId) {
        return new Transaction(this, txId);
    }

    public void introduce(int domid, long mfn, int port) {
        await(introduceAsync(domid, mfn, port));
    }

    public void release(int domid) {
        await(releaseAsync(domid));
    }

    public String getDomainPath(int domid) {
        return await(getDomainPathAsync(domid));
    }

    public boolean isDomainIntroduced(int domid) {
        return await(isDomainIntroducedAsync(domid));
    }

    public void resetWatches() {
        await(resetWatchesAsync());
    }

    /**
     * Runs {@code body} in a transaction and commits. When the commit (or an operation
     * inside) answers EAGAIN, another writer got in first: the whole closure runs again in a
     * fresh transaction, after a short randomised backoff, up to
     * {@link XenstoreClientConfig#maxTransactionAttempts()} times. Any other exception aborts
     * the transaction and propagates. The closure must therefore be safe to re-run (only
     * touch the store through the given {@link Transaction}).
     */
    public <T> T transaction(Function<Transaction, T> body) {
        int max = config.maxTransactionAttempts();
        XenstoreException last = null;
        for (int attempt = 1; attempt <= max; attempt++) {
            if (attempt > 1) {
                backoff(attempt - 1);
            }
            transactionAttempts.incrementAndGet();
            int tx = transactionStart();
            T result;
            try {
                result = body.apply(new Transaction(this, tx));
            } catch (XenstoreException e) {
                abortQuietly(tx);
                if (e.error() != XsError.EAGAIN) {
                    throw e;
                }
                last = e;
                continue;
            } catch (RuntimeException | Error e) {
                abortQuietly(tx);
                throw e;
            }
            try {
                transactionEnd(tx, true);
                return result;
            } catch (XenstoreException e) {
                if (e.error() != XsError.EAGAIN) {
                    throw e;
                }
                last = e;
            }
        }
        XenstoreException gaveUp = new XenstoreException(XsError.EAGAIN,
                "transaction still conflicting after " + max + " attempts");
        gaveUp.initCause(last);
        throw gaveUp;
    }

    private void abortQuietly(int tx) {
        try {
            transactionEnd(tx, false);
        } catch (RuntimeException ignored) {
            // the transaction is gone either way; the original failure matters more
        }
    }

    private void backoff(int retry) {
        long base = config.transactionBackoff().toNanos();
        if (base == 0) {
            return;
        }
        long nanos = Math.min(base << Math.min(retry - 1, 4), base * 16);
        LockSupport.parkNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
    }

    /** Waits for a future with the request timeout and unwraps its failure. */
    <T> T await(CompletableFuture<T> f) {
        if (Thread.currentThread() == reader) {
            throw new IllegalStateException("blocking xenstore call on the client's reader thread would "
                    + "deadlock; use the ...Async methods in callbacks");
        }
        try {
            return f.get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (TimeoutException e) {
            XenstoreTimeoutException te = new XenstoreTimeoutException("no reply from xenstored at "
                    + transport.describe() + " within " + config.requestTimeout().toMillis() + " ms");
            expireOlderThanTimeout(te);
            throw te;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreConnectionException("interrupted while waiting for xenstored");
        }
    }

    /**
     * Fails and forgets every request older than the request timeout, so requests xenstored
     * never answers do not pile up in the table. Runs only after a timeout (a linear scan),
     * never on the normal path; a reply arriving later counts as unmatched.
     */
    private void expireOlderThanTimeout(XenstoreTimeoutException cause) {
        long now = System.nanoTime();
        long limit = config.requestTimeout().toNanos();
        for (Map.Entry<Integer, PendingRequest> e : pending.entrySet()) {
            PendingRequest p = e.getValue();
            if (now - p.createdNanos >= limit && pending.remove(e.getKey(), p)) {
                p.completeExceptionally(cause);
            }
        }
    }

    /** Pending requests (sent, not yet answered, failed or expired). */
    public int pendingRequests() {
        return pending.size();
    }

    /** Re-creates a XenstoreException on the caller's thread (keeps the reader's as cause). */
    private static RuntimeException rethrowable(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof XenstoreException xe) {
            XenstoreException copy = new XenstoreException(xe.wireName(), contextOf(xe));
            copy.initCause(xe);
            return copy;
        }
        if (c instanceof RuntimeException re) {
            return re;
        }
        return new XenstoreConnectionException(String.valueOf(c.getMessage()), c);
    }

    private static String contextOf(XenstoreException xe) {
        String msg = xe.getMessage();
        String prefix = xe.wireName() + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : "";
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String checkArg(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("xenstore path or token contains a NUL byte: '"
                    + abbreviate(s.replace('\0', '?')) + "'");
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static int parseUnsigned(String s, String what) {
        try {
            return Integer.parseUnsignedInt(s.trim());
        } catch (NumberFormatException e) {
            throw new XenstoreConnectionException("protocol error: bad " + what + " '" + abbreviate(s) + "'");
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
