package org.xnb.netback.xenbus;

import java.util.LinkedHashMap;
import java.util.Map;
import org.xnb.xenstore.XenstoreClient;

/**
 * A frontend written from netif.h and XEN-RIG.md (what Linux 6.1 netfront wrote on a real
 * host), not from the backend: it acts through the guest's own xenstored connection, with the
 * guest's permissions and relative paths ({@code device/vif/<n>/...}), and each step is one call
 * so a test can check xenstore between steps.
 */
public final class ScriptedNetfront {
    public final XenstoreClient guest;
    public final int domid;
    public final int devid;
    private final String dir;

    public ScriptedNetfront(XenstoreClient guest, int domid, int devid) {
        this.guest = guest;
        this.domid = domid;
        this.devid = devid;
        this.dir = "device/vif/" + devid;
    }

    /**
     * What Linux 6.1 netfront published (XEN-RIG.md), keys in one transaction as
     * {@code talk_to_netback()} does; split event channels when {@code split}.
     */
    public static Map<String, String> linux61Keys(int txRef, int rxRef, int txPort, int rxPort, boolean split) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("tx-ring-ref", Integer.toString(txRef));
        k.put("rx-ring-ref", Integer.toString(rxRef));
        if (split) {
            k.put("event-channel-tx", Integer.toString(txPort));
            k.put("event-channel-rx", Integer.toString(rxPort));
        } else {
            k.put("event-channel", Integer.toString(txPort));
        }
        k.put("request-rx-copy", "1");
        k.put("feature-rx-notify", "1");
        k.put("feature-sg", "1");
        k.put("feature-gso-tcpv4", "1");
        k.put("feature-gso-tcpv6", "1");
        k.put("feature-ipv6-csum-offload", "1");
        k.put("multi-queue-num-queues", "1");
        return k;
    }

    /**
     * What Linux netfront's {@code talk_to_netback()} writes for {@code rings.length} queues, in its
     * order: {@code multi-queue-num-queues}, then each queue's {@code queue-N/} keys
     * ({@code write_queue_xenstore_keys(..., hierarchical)}), then the features. One queue is
     * {@link #linux61Keys}. {@code rings[q]} = {txRef, rxRef, txPort, rxPort}.
     */
    public static Map<String, String> linuxMultiQueueKeys(int[][] rings, boolean split) {
        if (rings.length == 1) {
            return linux61Keys(rings[0][0], rings[0][1], rings[0][2], rings[0][3], split);
        }
        Map<String, String> k = new LinkedHashMap<>();
        k.put("multi-queue-num-queues", Integer.toString(rings.length));
        for (int q = 0; q < rings.length; q++) {
            String d = "queue-" + q + "/";
            k.put(d + "tx-ring-ref", Integer.toString(rings[q][0]));
            k.put(d + "rx-ring-ref", Integer.toString(rings[q][1]));
            if (split) {
                k.put(d + "event-channel-tx", Integer.toString(rings[q][2]));
                k.put(d + "event-channel-rx", Integer.toString(rings[q][3]));
            } else {
                k.put(d + "event-channel", Integer.toString(rings[q][2]));
            }
        }
        Map<String, String> flat = linux61Keys(0, 0, 0, 0, split);
        flat.keySet().removeIf(key -> key.contains("ring-ref") || key.startsWith("event-channel")
                || key.equals("multi-queue-num-queues"));
        k.putAll(flat);
        return k;
    }

    /** Writes keys (a {@code null} value removes the key) in one transaction. */
    public void publish(Map<String, String> keys) {
        guest.transaction(tx -> {
            keys.forEach((k, v) -> {
                if (v == null) {
                    if (tx.exists(dir + "/" + k)) {
                        tx.rm(dir + "/" + k);
                    }
                } else {
                    tx.write(dir + "/" + k, v);
                }
            });
            return null;
        });
    }

    public void state(XenbusState s) {
        guest.write(dir + "/state", Integer.toString(s.code()));
    }

    /** Publishes the keys and then goes straight to Connected, as Linux 6.1 did. */
    public void connect(Map<String, String> keys) {
        publish(keys);
        state(XenbusState.CONNECTED);
    }

    /** Reads one of the backend's nodes as the guest (the backend dir is {@code n0 r<guest>}). */
    public String backendNode(String key) {
        return guest.readString("/local/domain/0/backend/vif/" + domid + "/" + devid + "/" + key);
    }
}
