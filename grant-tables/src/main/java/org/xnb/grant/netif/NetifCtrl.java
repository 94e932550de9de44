package org.xnb.grant.netif;

/**
 * Constants of the netif control ring ({@code XEN_NETIF_CTRL_*} in {@code xen/io/netif.h}): the
 * request types, the response status codes, the hash types and algorithms.
 */
public final class NetifCtrl {
    public static final int TYPE_INVALID = 0;
    public static final int TYPE_GET_HASH_FLAGS = 1;
    public static final int TYPE_SET_HASH_FLAGS = 2;
    public static final int TYPE_SET_HASH_KEY = 3;
    public static final int TYPE_GET_HASH_MAPPING_SIZE = 4;
    public static final int TYPE_SET_HASH_MAPPING_SIZE = 5;
    public static final int TYPE_SET_HASH_MAPPING = 6;
    public static final int TYPE_SET_HASH_ALGORITHM = 7;
    public static final int TYPE_GET_GREF_MAPPING_SIZE = 8;
    public static final int TYPE_ADD_GREF_MAPPING = 9;
    public static final int TYPE_DEL_GREF_MAPPING = 10;

    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_NOT_SUPPORTED = 1;
    public static final int STATUS_INVALID_PARAMETER = 2;
    public static final int STATUS_BUFFER_OVERFLOW = 3;

    /** {@code _XEN_NETIF_CTRL_HASH_TYPE_*}: bit numbers (also what a HASH extra carries). */
    public static final int HASH_TYPE_IPV4_BIT = 0;
    public static final int HASH_TYPE_IPV4_TCP_BIT = 1;
    public static final int HASH_TYPE_IPV6_BIT = 2;
    public static final int HASH_TYPE_IPV6_TCP_BIT = 3;
    /** {@code XEN_NETIF_CTRL_HASH_TYPE_*}: the flag values of GET/SET_HASH_FLAGS. */
    public static final int HASH_TYPE_IPV4 = 1 << HASH_TYPE_IPV4_BIT;
    public static final int HASH_TYPE_IPV4_TCP = 1 << HASH_TYPE_IPV4_TCP_BIT;
    public static final int HASH_TYPE_IPV6 = 1 << HASH_TYPE_IPV6_BIT;
    public static final int HASH_TYPE_IPV6_TCP = 1 << HASH_TYPE_IPV6_TCP_BIT;

    public static final int HASH_ALGORITHM_NONE = 0;
    public static final int HASH_ALGORITHM_TOEPLITZ = 1;

    private NetifCtrl() {
    }
}
