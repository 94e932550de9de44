package org.xnb.xenstore;

/**
 * The connection to xenstored is gone (closed by us, dropped by the peer, or broken by a
 * framing error), so a request could not be sent or its reply will never come. Unlike
 * {@link XenstoreException} this says nothing about the store: the caller must reconnect.
 */
public class XenstoreConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XenstoreConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    public XenstoreConnectionException(String message) {
        super(message);
    }
}
