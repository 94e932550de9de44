package org.xnb.xenstore;

import java.time.Duration;

/**
 * Tunables of a {@link XenstoreClient}.
 *
 * @param requestTimeout        how long blocking calls wait for a reply
 * @param watchQueueCapacity    events buffered between the socket reader and the watch
 *                              dispatcher; when full, events are coalesced (see
 *                              {@link WatchDispatcher})
 * @param maxTransactionAttempts how often {@link XenstoreClient#transaction} runs the closure
 *                              before giving up on EAGAIN
 * @param transactionBackoff    the pause after the first EAGAIN; doubles per attempt up to
 *                              16 times this value
 * @param maxDirectoryRestarts  how often a DIRECTORY_PART listing restarts when the node's
 *                              generation changes under it
 */
public record XenstoreClientConfig(Duration requestTimeout, int watchQueueCapacity,
        int maxTransactionAttempts, Duration transactionBackoff, int maxDirectoryRestarts) {

    public XenstoreClientConfig {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if (watchQueueCapacity < 1) {
            throw new IllegalArgumentException("watchQueueCapacity must be at least 1");
        }
        if (maxTransactionAttempts < 1) {
            throw new IllegalArgumentException("maxTransactionAttempts must be at least 1");
        }
        if (transactionBackoff == null || transactionBackoff.isNegative()) {
            throw new IllegalArgumentException("transactionBackoff must not be negative");
        }
        if (maxDirectoryRestarts < 0) {
            throw new IllegalArgumentException("maxDirectoryRestarts must not be negative");
        }
    }

    /** 30 s timeout, 4096 queued events, 16 attempts, 1 ms first backoff, 16 restarts. */
    public static XenstoreClientConfig defaults() {
        return new XenstoreClientConfig(Duration.ofSeconds(30), 4096, 16, Duration.ofMillis(1), 16);
    }

    public XenstoreClientConfig withRequestTimeout(Duration d) {
        return new XenstoreClientConfig(d, watchQueueCapacity, maxTransactionAttempts, transactionBackoff, maxDirectoryRestarts);
    }

    public XenstoreClientConfig withWatchQueueCapacity(int n) {
        return new XenstoreClientConfig(requestTimeout, n, maxTransactionAttempts, transactionBackoff, maxDirectoryRestarts);
    }

    public XenstoreClientConfig withMaxTransactionAttempts(int n) {
        return new XenstoreClientConfig(requestTimeout, watchQueueCapacity, n, transactionBackoff, maxDirectoryRestarts);
    }

    public XenstoreClientConfig withTransactionBackoff(Duration d) {
        return new XenstoreClientConfig(requestTimeout, watchQueueCapacity, maxTransactionAttempts, d, maxDirectoryRestarts);
    }

    public XenstoreClientConfig withMaxDirectoryRestarts(int n) {
        return new XenstoreClientConfig(requestTimeout, watchQueueCapacity, maxTransactionAttempts, transactionBackoff, n);
    }
}
