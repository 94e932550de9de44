package org.xnb.harness.xenstored;

import org.xnb.xenstore.XsError;

/**
 * A request failed with a xenstore error: the C code's {@code return errno} path. Carries no
 * stack trace; it is control flow, answered with an {@code XS_ERROR} reply, never logged.
 */
final class XsFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final XsError error;

    XsFailure(XsError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    XsError error() {
        return error;
    }
}
