package org.xnb.harness.netfront;

import java.util.function.Function;

/**
 * What a netback advertised in its directory, read the way Linux's netfront reads it
 * ({@code xenbus_read_unsigned(backend, key, 0)}: absent or not a number is 0).
 */
public record BackendFeatures(boolean rxCopy, boolean sg, boolean gsoTcpv4, boolean gsoTcpv6,
        boolean ipv6CsumOffload, boolean splitEventChannels, int multiQueueMaxQueues) {

    /** Reads the features through {@code node}: key of the backend directory to value or null. */
    public static BackendFeatures read(Function<String, String> node) {
        return new BackendFeatures(
                unsigned(node.apply("feature-rx-copy")) != 0,
                unsigned(node.apply("feature-sg")) != 0,
                unsigned(node.apply("feature-gso-tcpv4")) != 0,
                unsigned(node.apply("feature-gso-tcpv6")) != 0,
                unsigned(node.apply("feature-ipv6-csum-offload")) != 0,
                unsigned(node.apply("feature-split-event-channels")) != 0,
                (int) Math.min(unsigned(node.apply("multi-queue-max-queues")), 65535));
    }

    private static long unsigned(String v) {
        if (v == null) {
            return 0;
        }
        String t = v.trim();
        if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(t);
    }
}
