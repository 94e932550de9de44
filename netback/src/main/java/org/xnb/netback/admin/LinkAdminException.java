package org.xnb.netback.admin;

/** A refused admin request: one line saying what was wrong and what is allowed. */
public final class LinkAdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LinkAdminException(String message) {
        super(message);
    }
}
