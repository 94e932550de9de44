package org.xnb.grant.xen;

/**
 * This machine cannot reach a Xen hypervisor (no {@code /dev/xen} device, no libxen library, not
 * root). The message is one line meant for an operator, not a stack trace.
 */
public class XenUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XenUnavailableException(String message) {
        super(message);
    }
}
