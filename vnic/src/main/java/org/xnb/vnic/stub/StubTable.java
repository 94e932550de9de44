package org.xnb.vnic.stub;

import java.util.ArrayList;
import java.util.List;

/**
 * One immutable snapshot of an etherstub's forwarding state; a sender reads it through one
 * volatile load. Keys are {@code vlan << 48 | mac} (VLAN 0 = untagged).
 *
 * <pre>
 *  unicast  (vlan, port MAC)   -> the port
 *  groups   (vlan, group MAC)  -> the ports that subscribed
 *  members  vlan               -> every port of the VLAN (broadcast)
 * </pre>
 */
final class StubTable {
    static final StubTable EMPTY = new StubTable(new StubPort[0]);
    final StubPort[] ports;
    final LongTable<StubPort> unicast;
    final LongTable<StubPort[]> groups;
    final LongTable<StubPort[]> members;

    StubTable(StubPort[] ports) {
        this.ports = ports;
        LongTable.Builder<StubPort> u = new LongTable.Builder<>();
        LongTable.Builder<List<StubPort>> g = new LongTable.Builder<>();
        LongTable.Builder<List<StubPort>> m = new LongTable.Builder<>();
        for (StubPort p : ports) {
            u.put(key(p.vlanId(), p.mac()), p);
            for (long group : p.subscriptions()) {
                add(g, key(p.vlanId(), group), p);
            }
            add(m, p.vlanId(), p);
        }
        this.unicast = u.build();
        this.groups = arrays(g);
        this.members = arrays(m);
    }

    static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }

    private static void add(LongTable.Builder<List<StubPort>> b, long key, StubPort p) {
        List<StubPort> l = b.get(key);
        if (l == null) {
            l = new ArrayList<>();
            b.put(key, l);
        }
        l.add(p);
    }

    private static LongTable<StubPort[]> arrays(LongTable.Builder<List<StubPort>> b) {
        LongTable.Builder<StubPort[]> out = new LongTable.Builder<>();
        b.build().forEach((k, l) -> out.put(k, l.toArray(new StubPort[0])));
        return out.build();
    }
}
