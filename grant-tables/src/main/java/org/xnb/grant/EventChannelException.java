package org.xnb.grant;

/** An event-channel operation that failed; carries the errno-style reason when there is one. */
public class EventChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventChannelException(String message) {
        super(message);
    }

    public EventChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
