package org.xnb.grant.ring;

/**
 * The other end left a shared ring in a state that no well-behaved peer can produce (for example
 * more outstanding requests than the ring holds). Callers treat it as fatal for that one ring's
 * device and keep everything else running.
 */
public final class RingProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RingProtocolException(String message) {
        super(message);
    }
}
