package org.xnb.netback;

/**
 * A guest broke a fatal rule on one queue: that queue's engine has stopped and the vif must be
 * disabled (Linux {@code xenvif_fatal_tx_err}: "fatal error; disabling device"). Reported once, to
 * a {@link QueueListener}; it is a value, never thrown, so no other guest is disturbed.
 *
 * @param domid  the guest
 * @param queue  the queue number within the vif
 * @param rule   the rule broken
 * @param detail the offending values, for the log
 */
public record FatalGuestError(int domid, int queue, GuestRule rule, String detail) {

    public FatalGuestError {
        if (!rule.fatal()) {
            throw new IllegalArgumentException(rule + " is not a fatal rule");
        }
    }

    @Override
    public String toString() {
        return "domain " + domid + " queue " + queue + ": " + rule + " (" + rule.description() + "): " + detail;
    }
}
