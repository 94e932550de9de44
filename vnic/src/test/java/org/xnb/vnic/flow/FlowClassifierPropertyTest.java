package org.xnb.vnic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.frame.IpHeaders;
import org.xnb.vnic.prop.IpPrefix;

/**
 * Random rule sets and random packets: the classifier, reading bytes, must agree with a plain
 * reference matcher that reads the packet's description (and allocates as it likes).
 */
class FlowClassifierPropertyTest {
    private static final int[] V4_POOL = {0xC612_0001, 0xC612_0002, 0xC612_0102, 0xC613_0009, 0x0A00_0001};
    private static final long[] V6_HI = {0x2001_0db8_0000_0000L, 0x2001_0db8_0001_0000L, 0xfe80_0000_0000_0000L};
    private static final long[] V6_LO = {1, 2, 0x0216_3eff_fe00_0001L};
    private static final int[] PROTOS = {6, 17, 132, 1, 58, 33};
    private static final int[] PORTS = {53, 80, 443, 1000};
    private static final int[] EXT = {IpHeaders.PROTO_HOPOPTS, IpHeaders.PROTO_DSTOPTS, IpHeaders.PROTO_ROUTING};

    /** What a random packet is, before it becomes bytes. */
    static final class Packet {
        int vid;
        int kind; // 0 IPv4, 1 IPv6, 2 ARP, 3 other
        boolean v6;
        int src4;
        int dst4;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int proto;
        int sport;
        int dport;
        int ds;
        int frag; // 0 none, 1 first, 2 later
        int extHeaders;
        boolean truncated;
    }

    private static Packet randomPacket(Random r) {
        Packet p = new Packet();
        p.vid = r.nextInt(3) == 0 ? r.nextInt(4096) : -1;
        p.kind = r.nextInt(10) < 8 ? r.nextInt(2) : 2 + r.nextInt(2);
        p.v6 = p.kind == 1;
        p.src4 = V4_POOL[r.nextInt(V4_POOL.length)];
        p.dst4 = V4_POOL[r.nextInt(V4_POOL.length)];
        p.srcHi = V6_HI[r.nextInt(V6_HI.length)];
        p.srcLo = V6_LO[r.nextInt(V6_LO.length)];
        p.dstHi = V6_HI[r.nextInt(V6_HI.length)];
        p.dstLo = V6_LO[r.nextInt(V6_LO.length)];
        p.proto = PROTOS[r.nextInt(PROTOS.length)];
        p.sport = PORTS[r.nextInt(PORTS.length)];
        p.dport = PORTS[r.nextInt(PORTS.length)];
        p.ds = r.nextInt(256);
        p.frag = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0;
        p.extHeaders = p.v6 ? r.nextInt(4) : 0;
        p.truncated = r.nextInt(8) == 0;
        return p;
    }

    private static UnsafeBuffer bytes(Packet p, Random r) {
        FrameWriter w = new FrameWriter();
        int etherType = switch (p.kind) {
            case 0 -> EtherHeader.ETHERTYPE_IPV4;
            case 1 -> EtherHeader.ETHERTYPE_IPV6;
            case 2 -> EtherHeader.ETHERTYPE_ARP;
            default -> 0x88B5;
        };
        w.ether(0x00163e000001L, 0x00163e000002L, p.vid, etherType);
        if (p.kind >= 2) {
            return w.zeros(28).direct();
        }
        if (!p.v6) {
            int fragField = p.frag == 0 ? 0x4000 : p.frag == 1 ? 0x2000 : 0x2000 | (1 + r.nextInt(0x1FFF));
            w.ipv4(p.ds, fragField, p.proto, p.src4, p.dst4, 8);
        } else {
            int first = p.extHeaders > 0 ? EXT[r.nextInt(EXT.length)] : p.frag > 0 ? IpHeaders.PROTO_FRAGMENT : p.proto;
            w.ipv6(p.ds, first, p.srcHi, p.srcLo, p.dstHi, p.dstLo, 64);
            for (int i = 0; i < p.extHeaders; i++) {
                boolean last = i == p.extHeaders - 1;
                int next = !last ? EXT[r.nextInt(EXT.length)] : p.frag > 0 ? IpHeaders.PROTO_FRAGMENT : p.proto;
                int units = r.nextInt(2);
                w.u8(next).u8(units).zeros(6 + 8 * units);
            }
            if (p.frag > 0) {
                int offset = p.frag == 1 ? 0 : (1 + r.nextInt(0x1FFF)) << 3;
                w.u8(p.proto).u8(0).u16(offset | 1).u32(r.nextInt());
            }
        }
        if (p.truncated) {
            return w.u16(p.sport).direct(); // half a port pair
        }
        return w.u16(p.sport).u16(p.dport).u32(0).direct();
    }

    private static FlowSpec randomSpec(FlowType type, Random r) {
        switch (type) {
            case LOCAL_IP:
            case REMOTE_IP: {
                IpPrefix a;
                if (r.nextBoolean()) {
                    a = IpPrefix.v4(V4_POOL[r.nextInt(V4_POOL.length)], 8 + r.nextInt(25));
                } else {
                    a = IpPrefix.v6(V6_HI[r.nextInt(V6_HI.length)], V6_LO[r.nextInt(V6_LO.length)], 10 + r.nextInt(119));
                }
                return type == FlowType.LOCAL_IP ? FlowSpec.localIp(a) : FlowSpec.remoteIp(a);
            }
            case TRANSPORT:
                return FlowSpec.transport(Transport.values()[r.nextInt(5)]);
            case TRANSPORT_LOCAL_PORT:
                return FlowSpec.localPort(Transport.values()[r.nextInt(3)], PORTS[r.nextInt(PORTS.length)]);
            case TRANSPORT_REMOTE_PORT:
                return FlowSpec.remotePort(Transport.values()[r.nextInt(3)], PORTS[r.nextInt(PORTS.length)]);
            default: {
                int mask = 1 + r.nextInt(255);
                int value = r.nextInt(256) & mask;
                return FlowSpec.dsfield(value == 0 ? mask : value, mask);
            }
        }
    }

    /** The reference: flowadm's semantics written out plainly over the packet description. */
    static int reference(List<Flow> flows, Packet p, boolean inbound) {
        if (p.kind >= 2) {
            return -1;
        }
        int best = -1;
        int bestLen = -1;
        for (int i = 0; i < flows.size(); i++) {
            FlowSpec s = flows.get(i).spec();
            switch (s.type()) {
                case LOCAL_IP, REMOTE_IP -> {
                    boolean useDst = (s.type() == FlowType.LOCAL_IP) == inbound;
                    IpPrefix a = s.address();
                    boolean hit = p.v6 ? a.containsV6(useDst ? p.dstHi : p.srcHi, useDst ? p.dstLo : p.srcLo)
                            : a.containsV4(useDst ? p.dst4 : p.src4);
                    if (hit && a.prefixLength() >= bestLen) {
                        best = i;
                        bestLen = a.prefixLength();
                    }
                }
                case DSFIELD -> {
                    if ((p.ds & s.dsMask()) == s.dsValue()) {
                        best = i; // the last added wins
                    }
                }
                case TRANSPORT -> {
                    if (p.proto == s.transport().protocol()) {
                        return i;
                    }
                }
                default -> {
                    boolean useDst = (s.type() == FlowType.TRANSPORT_LOCAL_PORT) == inbound;
                    if (p.frag == 0 && !p.truncated && p.proto == s.transport().protocol()
                            && (useDst ? p.dport : p.sport) == s.port()) {
                        return i;
                    }
                }
            }
        }
        return best;
    }

    @Test
    void classifierAgreesWithTheReference() {
        qt().withExamples(1500).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            FlowType type = FlowType.values()[r.nextInt(FlowType.values().length)];
            FlowTable table = new FlowTable("vnic0");
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                try {
                    table.add("f" + i, randomSpec(type, r), FlowProperties.DEFAULTS);
                } catch (FlowException duplicate) {
                    // the same attributes twice: refused, as flowadm refuses them
                }
            }
            FlowClassifier c = table.classifier();
            List<Flow> flows = table.flows();
            for (int k = 0; k < 20; k++) {
                Packet p = randomPacket(r);
                UnsafeBuffer frame = bytes(p, r);
                for (boolean inbound : new boolean[] {true, false}) {
                    int expected = reference(flows, p, inbound);
                    int actual = c.classify(frame, 0, frame.capacity(), inbound);
                    assertEquals(expected == -1 ? null : flows.get(expected), actual == -1 ? null : c.flow(actual),
                            () -> "seed " + seed + " type " + type + " inbound " + inbound + " flows " + flows);
                }
            }
        });
    }
}
