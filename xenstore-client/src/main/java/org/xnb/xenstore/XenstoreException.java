package org.xnb.xenstore;

/**
 * A request that xenstored answered with {@link XsType#ERROR}. Carries the error name exactly
 * as xenstored sent it, so callers can branch on {@link #error()} (ENOENT, EACCES, EAGAIN, ...).
 */
public class XenstoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final XsError error;
    private final String wireName;

    public XenstoreException(String wireName, String context) {
        super(wireName + (context == null || context.isEmpty() ? "" : ": " + context));
        this.wireName = wireName;
        this.error = XsError.fromWire(wireName);
    }

    public XenstoreException(XsError error, String context) {
        this(error.name(), context);
    }

    /** The error as an enum; unknown names map to EINVAL as libxenstore does. */
    public XsError error() {
        return error;
    }

    /** The error name exactly as it arrived. */
    public String wireName() {
        return wireName;
    }
}
