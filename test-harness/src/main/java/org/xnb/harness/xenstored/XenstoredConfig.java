package org.xnb.harness.xenstored;

/**
 * How a {@link XenstoredServer} behaves beyond C's protocol rules.
 *
 * @param quotas            C's per-domain limits
 * @param maxQueuedReplies  messages (replies and watch events) a connection may have waiting
 *                          to be written; a client that stops reading is dropped when it is
 *                          exceeded, so it can never make the server buffer without bound
 * @param maxConnections    open connections over all sockets; further ones are closed at once
 */
public record XenstoredConfig(Quotas quotas, int maxQueuedReplies, int maxConnections) {

    public static final XenstoredConfig DEFAULTS = new XenstoredConfig(Quotas.C_DEFAULTS, 4096, 1024);

    public XenstoredConfig {
        if (quotas == null) {
            throw new IllegalArgumentException("quotas are required");
        }
        if (maxQueuedReplies < 1) {
            throw new IllegalArgumentException("maxQueuedReplies must be >= 1: " + maxQueuedReplies);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
    }

    public XenstoredConfig withQuotas(Quotas q) {
        return new XenstoredConfig(q, maxQueuedReplies, maxConnections);
    }

    public XenstoredConfig withMaxQueuedReplies(int n) {
        return new XenstoredConfig(quotas, n, maxConnections);
    }

    public XenstoredConfig withMaxConnections(int n) {
        return new XenstoredConfig(quotas, maxQueuedReplies, n);
    }
}
