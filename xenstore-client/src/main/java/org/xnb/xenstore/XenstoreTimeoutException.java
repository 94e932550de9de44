package org.xnb.xenstore;

/**
 * A blocking call waited longer than the client's request timeout. The request may still be
 * executed by xenstored; its late reply is discarded.
 */
public class XenstoreTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XenstoreTimeoutException(String message) {
        super(message);
    }
}
