package org.xnb.tools.xenstore;

import org.xnb.xenstore.XenstoreException;

/**
 * glibc's {@code strerror()} text for the errors xenstore returns, so that messages printed
 * the way {@code err(3)} prints them read exactly like Debian's tools.
 */
final class Errno {
    private Errno() {
    }

    static String strerror(Throwable t) {
        if (!(t instanceof XenstoreException xe)) {
            return String.valueOf(t.getMessage());
        }
        return switch (xe.error()) {
            case EINVAL -> "Invalid argument";
            case EACCES -> "Permission denied";
            case EEXIST -> "File exists";
            case EISDIR -> "Is a directory";
            case ENOENT -> "No such file or directory";
            case ENOMEM -> "Cannot allocate memory";
            case ENOSPC -> "No space left on device";
            case EIO -> "Input/output error";
            case ENOTEMPTY -> "Directory not empty";
            case ENOSYS -> "Function not implemented";
            case EROFS -> "Read-only file system";
            case EBUSY -> "Device or resource busy";
            case EAGAIN -> "Resource temporarily unavailable";
            case EISCONN -> "Transport endpoint is already connected";
            case E2BIG -> "Argument list too long";
            case EPERM -> "Operation not permitted";
        };
    }
}
