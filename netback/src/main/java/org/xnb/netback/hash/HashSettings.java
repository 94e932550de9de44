package org.xnb.netback.hash;

import org.xnb.grant.netif.NetifCtrl;

/**
 * What a guest chose over its control ring, as one immutable snapshot: the algorithm
 * ({@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}), the hash types ({@code XEN_NETIF_CTRL_HASH_TYPE_*}
 * flags), the key (as its {@link ToeplitzTable}) and the mapping table (hash % size -> queue;
 * size 0: hash % number of queues). The control ring publishes a new snapshot after a batch of
 * requests changed something; readers on any thread use whichever snapshot they loaded.
 *
 * @param mapping the table; only its first {@code mapping.length} entries exist (a private copy)
 */
public record HashSettings(int algorithm, int flags, ToeplitzTable key, int[] mapping) {

    /** No control ring, or nothing chosen yet: algorithm NONE, no flags, empty key, no table. */
    public static final HashSettings DEFAULT =
            new HashSettings(NetifCtrl.HASH_ALGORITHM_NONE, 0, ToeplitzTable.ZERO, new int[0]);

    public HashSettings {
        mapping = mapping.clone();
    }

    /** Entries in the mapping table (0: modular arithmetic over the queues). */
    public int mappingSize() {
        return mapping.length;
    }

    /** Entry {@code i} of the mapping table. */
    public int mappingEntry(int i) {
        return mapping[i];
    }

    @Override
    public int[] mapping() {
        return mapping.clone();
    }
}
