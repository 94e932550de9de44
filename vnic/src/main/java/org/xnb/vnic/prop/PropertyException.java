package org.xnb.vnic.prop;

/**
 * A link or flow property value that dladm/flowadm would refuse. The message says what was wrong
 * and what is allowed, in one line, so a command-line tool can print it as it is.
 */
public final class PropertyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PropertyException(String message) {
        super(message);
    }
}
