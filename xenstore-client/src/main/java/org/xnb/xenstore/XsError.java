package org.xnb.xenstore;

/**
 * The error names of {@code xsd_errors[]} in {@code xen/io/xs_wire.h}, in the header's order.
 * Xenstore carries errors as these strings (NUL-terminated) in an {@link XsType#ERROR} reply.
 */
public enum XsError {
    EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS,
    EROFS, EBUSY, EAGAIN, EISCONN, E2BIG, EPERM;

    /**
     * Parses an error name as it came off the wire. Like libxenstore, a name it does not know
     * maps to {@link #EINVAL}.
     */
    public static XsError fromWire(String name) {
        for (XsError e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return EINVAL;
    }
}
