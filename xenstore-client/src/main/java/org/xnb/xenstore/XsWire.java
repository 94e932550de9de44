package org.xnb.xenstore;

/**
 * Limits and layout of the xenstore wire protocol ({@code xen/io/xs_wire.h}).
 *
 * <pre>
 *   0               4               8               12              16
 *   +---------------+---------------+---------------+---------------+----------------
 *   |  type (u32)   | req_id (u32)  |  tx_id (u32)  |   len (u32)   | payload[len] ...
 *   +---------------+---------------+---------------+---------------+----------------
 *   all little-endian (host order on x86); payload is usually NUL-terminated strings
 * </pre>
 */
public final class XsWire {
    public static final int HEADER_SIZE = 16;
    public static final int TYPE_OFFSET = 0;
    public static final int REQ_ID_OFFSET = 4;
    public static final int TX_ID_OFFSET = 8;
    public static final int LEN_OFFSET = 12;

    /** {@code XENSTORE_PAYLOAD_MAX}: "violating this is very bad". */
    public static final int PAYLOAD_MAX = 4096;
    /** {@code XENSTORE_ABS_PATH_MAX}. */
    public static final int ABS_PATH_MAX = 3072;
    /** {@code XENSTORE_REL_PATH_MAX}. */
    public static final int REL_PATH_MAX = 2048;

    /** The reply payload of requests that return nothing else. */
    public static final String OK = "OK";

    private XsWire() {
    }
}
