package org.xnb.netback.link;

/** A link could not be opened (its TAP device, namespace, address or bridge); the message names the link and why. */
public final class LinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LinkException(String link, RuntimeException cause) {
        super("link '" + link + "': " + cause.getMessage(), cause);
    }

    /** Just the message: it is what an operator reads on the command line. */
    @Override
    public String toString() {
        return getMessage();
    }
}
