package org.xnb.netback.xenbus;

/**
 * The toolstack's {@code rate} node of a vif: "{@code <bytes>,<usec>}", a credit of {@code bytes}
 * per {@code usec} microseconds for the guest's transmit side, per queue. Parsed as Linux's
 * {@code xen_net_read_rate()}: a missing node means unlimited; a value that does not parse is
 * reported (by the caller) and also means unlimited. How the credit is spent (Linux lets a burst
 * of {@code max(128 KiB, bytes)} through) is the data path's business.
 *
 * @param creditBytes unsigned; {@link #UNLIMITED} has all bits set, like Linux's {@code ~0UL}
 * @param creditUsec  unsigned microseconds of the credit window
 */
public record RateLimit(long creditBytes, long creditUsec) {

    /** No limit: Linux's {@code credit_bytes = ~0UL, credit_usec = 0}. */
    public static final RateLimit UNLIMITED = new RateLimit(-1L, 0L);

    public boolean isUnlimited() {
        return creditBytes == -1L;
    }

    /**
     * Parses a {@code rate} value. {@code null} (absent node) is {@link #UNLIMITED}; anything but
     * two unsigned 64-bit decimal numbers joined by one comma throws.
     */
    public static RateLimit parse(String value) {
        if (value == null) {
            return UNLIMITED;
        }
        int comma = value.indexOf(',');
        if (comma < 0 || value.indexOf(',', comma + 1) >= 0) {
            throw new IllegalArgumentException("rate must be <bytes>,<usec>: '" + value + "'");
        }
        return new RateLimit(unsigned(value.substring(0, comma), value), unsigned(value.substring(comma + 1), value));
    }

    /** Like {@link #parse} but any malformed value reads as unlimited (the caller logs it). */
    public static RateLimit parseOrUnlimited(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            return UNLIMITED;
        }
    }

    private static long unsigned(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("rate must be <bytes>,<usec> in decimal: '" + whole + "'");
        }
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate number too large: '" + whole + "'", e);
        }
    }

    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : Long.toUnsignedString(creditBytes) + " bytes per "
                + Long.toUnsignedString(creditUsec) + " us";
    }
}
