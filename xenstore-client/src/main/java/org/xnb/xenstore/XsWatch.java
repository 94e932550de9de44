package org.xnb.xenstore;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registered watch. {@link #close()} sends UNWATCH and stops delivery; events already
 * queued for it are dropped.
 */
public final class XsWatch implements AutoCloseable {
    private final XenstoreClient client;
    private final String path;
    private final String token;
    private final WatchListener listener;
    private final AtomicBoolean active = new AtomicBoolean(true);
    /** Set by the reader when an event for this watch had to be dropped; see WatchDispatcher. */
    final AtomicBoolean overflowed = new AtomicBoolean();

    XsWatch(XenstoreClient client, String path, String token, WatchListener listener) {
        this.client = client;
        this.path = path;
        this.token = token;
        this.listener = listener;
    }

    public String path() {
        return path;
    }

    public String token() {
        return token;
    }

    WatchListener listener() {
        return listener;
    }

    public boolean isActive() {
        return active.get();
    }

    /** Stops delivery locally; returns false if it was already stopped. */
    boolean deactivate() {
        return active.compareAndSet(true, false);
    }

    /** Unwatches (if the connection is still up) and stops delivery. Idempotent. */
    @Override
    public void close() {
        client.unwatch(this);
    }
}
