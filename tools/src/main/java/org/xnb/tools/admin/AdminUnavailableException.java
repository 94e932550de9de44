package org.xnb.tools.admin;

/** The admin socket could not be used: no daemon, no permission, no answer. One line. */
public final class AdminUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AdminUnavailableException(String message) {
        super(message);
    }
}
