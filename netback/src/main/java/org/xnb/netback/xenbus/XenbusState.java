package org.xnb.netback.xenbus;

/**
 * The xenbus device states of {@code xen/io/xenbus.h}, written as decimal numbers to each end's
 * {@code state} node. Both ends step through them to agree on when the shared rings exist.
 */
public enum XenbusState {
    UNKNOWN,
    INITIALISING,
    INIT_WAIT,
    INITIALISED,
    CONNECTED,
    CLOSING,
    CLOSED,
    RECONFIGURING,
    RECONFIGURED;

    private static final XenbusState[] VALUES = values();

    /** The number written to xenstore. */
    public int code() {
        return ordinal();
    }

    /** The state of {@code code}, or {@link #UNKNOWN} for a number outside the header's list. */
    public static XenbusState ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }

    /**
     * Parses a {@code state} node as Linux's {@code xenbus_read_driver_state()}: a node that is
     * absent ({@code null}) or not a number reads as {@link #UNKNOWN}.
     */
    public static XenbusState parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 3 || !v.chars().allMatch(Character::isDigit)) {
            return UNKNOWN;
        }
        return ofCode(Integer.parseInt(v));
    }
}
