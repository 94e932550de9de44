package org.xnb.vnic.tap;

import org.xnb.vnic.os.LibC;

/**
 * A TAP device operation failed. The message names the operation, the device and the errno,
 * and for the two set-up mistakes everyone makes (no {@code /dev/net/tun}, not root) it says
 * what to do in one line.
 */
public final class TapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public TapException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public TapException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    /** The errno that caused this, 0 when the failure was not a system call. */
    public int errno() {
        return errno;
    }

    /**
     * Builds the message for a failed system call on {@code device} (may be empty before the
     * kernel named it).
     */
    public static TapException of(String operation, String device, int errno) {
        String where = device == null || device.isEmpty() ? "" : " (" + device + ")";
        String base = operation + where + " failed: " + describe(errno);
        String hint = hint(operation, errno);
        return new TapException(hint.isEmpty() ? base : base + ": " + hint, errno);
    }

    static String hint(String operation, int errno) {
        if (operation.startsWith("open /dev/net/tun") && (errno == LibC.ENOENT || errno == LibC.ENODEV)) {
            return "no /dev/net/tun: load the tun module (modprobe tun) or, in a container, pass the device in";
        }
        if (errno == LibC.EPERM || errno == LibC.EACCES) {
            return "TAP devices need root (or CAP_NET_ADMIN and access to /dev/net/tun)";
        }
        if (operation.startsWith("TUNSETIFF") && errno == LibC.EBUSY) {
            return "a device of that name exists with other flags or all its queues are taken";
        }
        if (operation.startsWith("TUNSETIFF") && errno == LibC.EINVAL) {
            return "the name is taken by a non-TAP device, or the flags do not match the existing device";
        }
        return "";
    }

    private static String describe(int errno) {
        return "errno " + errno + " (" + strerrorOrNumber(errno) + ")";
    }

    private static String strerrorOrNumber(int errno) {
        try {
            return LibC.strerror(errno);
        } catch (LinkageError e) {
            return "?";
        }
    }
}
