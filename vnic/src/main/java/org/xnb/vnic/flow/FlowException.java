package org.xnb.vnic.flow;

/** A flow that cannot be added to or found on a link; the message says why, in one line. */
public final class FlowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FlowException(String message) {
        super(message);
    }
}
