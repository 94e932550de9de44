package org.xnb.netback.xenbus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.xnb.netback.VifFeatures;

/**
 * What a frontend published in its device directory before announcing Initialised or Connected:
 * the rings of each queue, the features it asks for and its control ring, if any. {@link #read}
 * applies Linux's rules from {@code connect()}, {@code connect_data_rings()},
 * {@code connect_ctrl_ring()} and {@code read_xenbus_vif_flags()} (drivers/net/xen-netback/xenbus.c);
 * every refusal is a {@link XenbusFatalException} whose message goes to the device's error node.
 *
 * @param queues   each queue's rings, queue 0 first (one entry: the keys at the top of the directory)
 * @param features the negotiated flags
 * @param ctrl     the control ring ({@code ctrl-ring-ref}, {@code event-channel-ctrl}), or null
 */
public record FrontendOffer(List<FrontendRings> queues, VifFeatures features, FrontendCtrlRing ctrl) {

    /** The most queues {@link #read(Function)} accepts: a backend that does not offer multi-queue. */
    public static final int MAX_QUEUES = 1;
    /** Ring keys that belong either at the top (one queue) or under {@code queue-N/} (several). */
    private static final String[] RING_KEYS = {"tx-ring-ref", "rx-ring-ref", "event-channel", "event-channel-tx",
        "event-channel-rx"};

    public FrontendOffer {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("an offer has at least one queue");
        }
    }

    /** A single-queue offer without a control ring. */
    public FrontendOffer(FrontendRings rings, VifFeatures features) {
        this(List.of(rings), features, null);
    }

    /** Queue 0's rings. */
    public FrontendRings rings() {
        return queues.get(0);
    }

    /** One queue, no control ring: what a backend offering neither accepts. */
    public static FrontendOffer read(Function<String, String> node) throws XenbusFatalException {
        return read(node, MAX_QUEUES, false);
    }

    /**
     * Reads the offer through {@code node}, which maps a key of the frontend directory (such as
     * {@code "tx-ring-ref"} or {@code "queue-1/event-channel-tx"}) to its value, or to
     * {@code null} when the key is absent.
     *
     * @param maxQueues   what the backend advertised in {@code multi-queue-max-queues}
     * @param controlRing whether the backend advertised {@code feature-ctrl-ring}; if not, the
     *                    frontend's control-ring keys are ignored (it may not use one)
     */
    public static FrontendOffer read(Function<String, String> node, int maxQueues, boolean controlRing)
            throws XenbusFatalException {
        // Linux: xenbus_read_unsigned(otherend, "multi-queue-num-queues", 1), then the maximum check
        long queues = unsignedOr(node.apply("multi-queue-num-queues"), 1);
        if (queues > maxQueues) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest requested " + queues
                    + " queues, exceeding the maximum of " + maxQueues + ".");
        }
        if (queues == 0) {
            // Linux fails later, allocating zero queues (-ENOMEM "allocating queues"); say why
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest requested 0 queues.");
        }
        checkNotMixed(node, (int) queues);
        List<FrontendRings> rings = new ArrayList<>((int) queues);
        for (int q = 0; q < queues; q++) {
            // connect_data_rings(): one queue reads the top of the directory, several queue-N/
            String prefix = queues == 1 ? "" : "queue-" + q + "/";
            rings.add(readRings(key -> node.apply(prefix + key), prefix));
        }
        VifFeatures features = readFlags(node);
        return new FrontendOffer(rings, features, controlRing ? readCtrl(node) : null);
    }

    /**
     * Stricter than Linux, which reads only where it expects the keys: ring keys both at the top
     * and under {@code queue-N/} are a frontend confused about its queue count, refused before
     * anything is mapped. With one queue a {@code queue-0/} set without top-level keys is refused
     * the same way (Linux would say the top-level keys are missing).
     */
    private static void checkNotMixed(Function<String, String> node, int queues) throws XenbusFatalException {
        String top = firstPresent(node, "");
        if (queues > 1 && top != null) {
            throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest requested " + queues
                    + " queues but also wrote the single-queue key " + top + "; ring keys belong in queue-N/");
        }
        if (queues == 1 && top == null) {
            String q0 = firstPresent(node, "queue-0/");
            if (q0 != null) {
                throw new XenbusFatalException(XenbusFatalException.EINVAL, "guest wrote " + q0
                        + " but requested one queue (multi-queue-num-queues absent or 1); its ring keys belong at the top");
            }
        }
    }

    private static String firstPresent(Function<String, String> node, String prefix) {
        for (String k : RING_KEYS) {
            if (node.apply(prefix + k) != null) {
                return prefix + k;
            }
        }
        return null;
    }

    /** Linux's {@code connect_ctrl_ring()}: no {@code ctrl-ring-ref} = no control ring. */
    private static FrontendCtrlRing readCtrl(Function<String, String> node) throws XenbusFatalException {
        String ref = node.apply("ctrl-ring-ref");
        if (ref == null) {
            return null;
        }
        int ringRef = parseU32(ref, "ctrl-ring-ref");
        return new FrontendCtrlRing(ringRef, required(node, "event-channel-ctrl", ""));
    }

    /**
     * Linux's {@code connect_data_rings()} for one queue; {@code node} reads the queue's directory
     * ({@code prefix} names it in messages).
     */
    private static FrontendRings readRings(Function<String, String> node, String prefix) throws XenbusFatalException {
        int tx = required(node, "tx-ring-ref", prefix);
        int rx = required(node, "rx-ring-ref", prefix);
        String splitTx = node.apply("event-channel-tx");
        if (splitTx == null) {
            return FrontendRings.shared(tx, rx, required(node, "event-channel", prefix));
        }
        int txPort = parseU32(splitTx, prefix + "event-channel-tx");
        int rxPort = required(node, "event-channel-rx", prefix);
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

    private static int required(Function<String, String> node, String key, String prefix)
            throws XenbusFatalException {
        String v = node.apply(key);
        if (v == null) {
            throw new XenbusFatalException(XenbusFatalException.ENOENT, "reading " + prefix + key + ": missing");
        }
        return parseU32(v, prefix + key);
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
