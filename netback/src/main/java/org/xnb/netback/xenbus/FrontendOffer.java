package org.xnb.netback.xenbus;

import java.util.function.Function;
import org.xnb.netback.VifFeatures;

/**
 * What a frontend published in its device directory before announcing Initialised or Connected:
 * queue 0's rings and the features it asks for. {@link #read} applies Linux's rules from
 * {@code connect()}, {@code connect_data_rings()} and {@code read_xenbus_vif_flags()}
 * (drivers/net/xen-netback/xenbus.c); every refusal is a {@link XenbusFatalException} whose
 * message goes to the device's error node.
 */
public record FrontendOffer(FrontendRings rings, VifFeatures features) {

    /** The most queues this backend accepts (it does not advertise {@code multi-queue-max-queues}). */
    public static final int MAX_QUEUES = 1;

    /**
     * Reads the offer through {@code node}, which maps a key of the frontend directory (such as
     * {@code "tx-ring-ref"}) to its value, or to {@code null} when the key is absent.
     */
    public static FrontendOffer read(Function<String, String> node) throws XenbusFatalException {
        // Linux: xenbus_read_unsigned(otherend, "multi-queue-num-queues", 1), then the maximum check
        long queues = unsignedOr(node.apply("multi-queue-num-queues"), 1);
        if (queues > MAX_QUEUES) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest requested " + queues
                    + " queues, exceeding the maximum of " + MAX_QUEUES + ".");
        }
        if (queues == 0) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest requested 0 queues.");
        }
        FrontendRings rings = readRings(node);
        return new FrontendOffer(rings, readFlags(node));
    }

    /** Linux's {@code connect_data_rings()} for a single queue (keys at the top of the directory). */
    private static FrontendRings readRings(Function<String, String> node) throws XenbusFatalException {
        int tx = required(node, "tx-ring-ref");
        int rx = required(node, "rx-ring-ref");
        String splitTx = node.apply("event-channel-tx");
        if (splitTx == null) {
            return FrontendRings.shared(tx, rx, required(node, "event-channel"));
        }
        int txPort = parseU32(splitTx, "event-channel-tx");
        int rxPort = required(node, "event-channel-rx");
        return FrontendRings.split(tx, rx, txPort, rxPort);
    }

    /** Linux's {@code read_xenbus_vif_flags()}. */
    private static VifFeatures readFlags(Function<String, String> node) throws XenbusFatalException {
        String rxCopy = node.apply("request-rx-copy");
        long copy;
        if (rxCopy == null) {
            copy = 0; // -ENOENT reads as "no"
        } else {
            copy = unsignedOr(rxCopy, -1);
            if (copy < 0) {
                throw new XenbusFatalException(XenbusFatalException.EINVAL, "reading request-rx-copy: '"
                        + rxCopy + "' is not a number");
            }
        }
        if (copy == 0) {
            throw new XenbusFatalException(XenbusFatalException.EOPNOTSUPP,
                    "frontend does not request rx-copy (request-rx-copy absent or 0); page flipping is not supported");
        }
        // Linux since commit bc96f648 ("xen-netback: make feature-rx-notify mandatory", 2014):
        // without the guest's Rx kicks the backend's guest-Rx work could stall
        if (!flag(node, "feature-rx-notify")) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "feature-rx-notify is mandatory");
        }
        return new VifFeatures(
                flag(node, "feature-sg"),
                flag(node, "feature-gso-tcpv4"),
                flag(node, "feature-gso-tcpv6"),
                !flag(node, "feature-no-csum-offload"),
                flag(node, "feature-ipv6-csum-offload"),
                true,
                flag(node, "request-multicast-control"));
    }

    /** {@code xenbus_read_unsigned(..., 0) != 0}: absent or unparsable reads as off. */
    private static boolean flag(Function<String, String> node, String key) {
        return unsignedOr(node.apply(key), 0) != 0;
    }

    private static int required(Function<String, String> node, String key) throws XenbusFatalException {
        String v = node.apply(key);
        if (v == null) {
            throw new XenbusFatalException(XenbusFatalException.ENOENT, "reading " + key + ": missing");
        }
        return parseU32(v, key);
    }

    private static int parseU32(String v, String key) throws XenbusFatalException {
        long n = unsignedOr(v, -1);
        if (n < 0 || n > 0xffff_ffffL) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "reading " + key + ": '" + v
                    + "' is not an unsigned 32-bit number");
        }
        return (int) n;
    }

    /** A decimal unsigned number of at most 18 digits (so it fits a long), else {@code fallback}. */
    static long unsignedOr(String v, long fallback) {
        if (v == null) {
            return fallback;
        }
        String t = v.trim();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return fallback;
        }
        return Long.parseLong(t);
    }
}
