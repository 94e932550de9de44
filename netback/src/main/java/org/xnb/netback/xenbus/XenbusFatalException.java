package org.xnb.netback.xenbus;

/**
 * A handshake failure that Linux reports with {@code xenbus_dev_fatal()}: an errno (written
 * positive, as {@code xenbus_va_dev_error()} does) and a message for the device's error node.
 */
public final class XenbusFatalException extends Exception {
    private static final long serialVersionUID = 1L;

    /** errno values used in the error node. */
    public static final int ENOENT = 2;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;

    private final int errno;

    public XenbusFatalException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public XenbusFatalException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The error node's value: "{@code <errno> <message>}". */
    public String nodeValue() {
        return errno + " " + getMessage();
    }
}
