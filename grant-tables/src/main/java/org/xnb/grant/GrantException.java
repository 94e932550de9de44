package org.xnb.grant;

/** A grant operation that failed, with Xen's status code ({@link GrantStatus}). */
public class GrantException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public GrantException(int status, String context) {
        super(GrantStatus.name(status) + ": " + context);
        this.status = status;
    }

    /** The GNTST_* code. */
    public int status() {
        return status;
    }
}
