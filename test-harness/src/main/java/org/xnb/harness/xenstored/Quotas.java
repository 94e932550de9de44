package org.xnb.harness.xenstored;

/**
 * C xenstored's quotas (Xen 4.17 defaults, {@code xenstored_core.c}). Like C they apply to
 * unprivileged domains only; dom0 is exempt.
 *
 * @param nodesPerDomain      {@code quota_nb_entry_per_domain}: nodes a domain may own; over it
 *                            creating a node fails with ENOSPC
 * @param watchesPerDomain    {@code quota_nb_watch_per_domain}: watches per connection (a C guest
 *                            has exactly one connection); WATCH fails with E2BIG once the count
 *                            is above it (C compares with {@code >}, so quota + 1 watches fit)
 * @param transactions        {@code quota_max_transaction}: open transactions per connection;
 *                            TRANSACTION_START fails with ENOSPC once the count is above it
 *                            (again {@code >}: quota + 1 fit)
 * @param maxEntrySize        {@code quota_max_entry_size}: bytes of one node record (header,
 *                            perms, value, child names); reaching it fails with ENOSPC
 * @param permsPerNode        {@code quota_nb_perms_per_node}: entries in SET_PERMS; over it ENOSPC
 */
public record Quotas(int nodesPerDomain, int watchesPerDomain, int transactions, int maxEntrySize,
                     int permsPerNode) {

    /** The defaults of C xenstored 4.17. */
    public static final Quotas C_DEFAULTS = new Quotas(1000, 128, 10, 2048, 5);

    public Quotas {
        if (nodesPerDomain < 1 || watchesPerDomain < 0 || transactions < 0 || maxEntrySize < 1
                || permsPerNode < 1) {
            throw new IllegalArgumentException("quotas must be positive: " + this);
        }
    }
}
