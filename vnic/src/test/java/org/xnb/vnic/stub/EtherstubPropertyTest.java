package org.xnb.vnic.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.MacAddress;

/**
 * Random etherstubs (MACs from a small pool so that VLANs share addresses, random VLANs and group
 * subscriptions) and random frames (unicast to known and unknown MACs, broadcast, groups, tagged
 * or not), checked against a reference model written as plainly as possible.
 */
class EtherstubPropertyTest {
    private static final long[] MACS = new long[6];
    private static final long[] GROUPS = {MacAddress.parse("01:00:5e:00:00:01"), MacAddress.parse("01:00:5e:00:00:02"),
        MacAddress.parse("33:33:00:00:00:01")};
    private static final int[] VLANS = {0, 1, 2};

    static {
        for (int i = 0; i < MACS.length; i++) {
            MACS[i] = MacAddress.XEN_OUI | i + 1;
        }
    }

    /** A port as the model sees it. */
    record Spec(long mac, int vlan, List<Long> groups) {
    }

    /** Decodes an int into a port: MAC index, VLAN, subscription bit mask. */
    static Spec port(int v) {
        int mac = Math.floorMod(v, MACS.length);
        int vlan = VLANS[Math.floorMod(v / MACS.length, VLANS.length)];
        int mask = Math.floorMod(v / (MACS.length * VLANS.length), 1 << GROUPS.length);
        List<Long> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS.length; g++) {
            if ((mask >> g & 1) != 0) {
                groups.add(GROUPS[g]);
            }
        }
        return new Spec(MACS[mac], vlan, groups);
    }

    /** The model: which ports (by index) receive a frame, in which VLAN; null = dropped. */
    static TreeSet<Integer> expected(List<Spec> ports, int from, long dst, int tag) {
        Spec s = ports.get(from);
        int vlan;
        if (tag >= 0) {
            if (s.vlan() != 0) {
                return null;
            }
            vlan = tag;
        } else {
            vlan = s.vlan();
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < ports.size(); i++) {
            Spec p = ports.get(i);
            if (i == from || p.vlan() != vlan) {
                continue;
            }
            boolean hit = dst == MacAddress.BROADCAST || p.mac() == dst || p.groups().contains(dst);
            if (hit) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void forwardingMatchesTheModel() {
        qt().withExamples(300)
                .forAll(lists().of(integers().between(0, 1 << 16)).ofSizeBetween(1, 14),
                        lists().of(integers().between(0, 1 << 20)).ofSizeBetween(1, 40))
                .checkAssert((portInts, frameInts) -> {
                    Etherstub stub = new Etherstub("prop");
                    List<Spec> specs = new ArrayList<>();
                    List<StubPort> ports = new ArrayList<>();
                    List<List<Integer>> received = new ArrayList<>();
                    List<Integer> vlanSeen = new ArrayList<>();
                    for (int v : portInts) {
                        Spec s = port(v);
                        if (specs.stream().anyMatch(o -> o.mac() == s.mac() && o.vlan() == s.vlan())) {
                            continue; // the stub refuses a taken MAC in a VLAN; the model skips it too
                        }
                        int idx = specs.size();
                        specs.add(s);
                        received.add(new ArrayList<>());
                        StubPort p = stub.attach("p" + idx, s.mac(), s.vlan(), (a, len, vlan) -> {
                            received.get(idx).add(vlan);
                            vlanSeen.add(vlan);
                        });
                        s.groups().forEach(p::subscribe);
                        ports.add(p);
                    }
                    TestFrames f = new TestFrames();
                    for (int v : frameInts) {
                        int from = Math.floorMod(v, specs.size());
                        int kind = Math.floorMod(v / 16, 12);
                        long dst = kind < 6 ? MACS[kind]
                                : kind < 9 ? GROUPS[kind - 6]
                                : kind == 9 ? MacAddress.BROADCAST
                                : MacAddress.XEN_OUI | 0xbeef; // nobody
                        int tagChoice = Math.floorMod(v / 192, 5);
                        int tag = tagChoice < 2 ? -1 : VLANS[tagChoice - 2];
                        for (List<Integer> r : received) {
                            r.clear();
                        }
                        ports.get(from).send(f.address(), f.write(dst, specs.get(from).mac(), tag));
                        TreeSet<Integer> want = expected(specs, from, dst, tag);
                        TreeSet<Integer> got = new TreeSet<>();
                        for (int i = 0; i < received.size(); i++) {
                            assertEquals(i == from ? 0 : received.get(i).size() > 1 ? -1 : received.get(i).size(),
                                    received.get(i).size(), "port " + i + " got a frame twice or its own");
                            if (!received.get(i).isEmpty()) {
                                got.add(i);
                                int vlan = tag >= 0 ? tag : specs.get(from).vlan();
                                assertEquals(vlan, received.get(i).get(0), "VLAN passed to the receiver");
                            }
                        }
                        assertEquals(want == null ? new TreeSet<Integer>() : want, got,
                                "frame to " + MacAddress.format(dst) + " tag " + tag + " from port " + from + " "
                                        + specs.get(from) + " among " + specs);
                    }
                });
    }
}
