package org.xnb.vnic.flow;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.frame.IpHeaders;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.protect.LinkProtection;
import org.xnb.vnic.protect.ProtectionCounters;

/**
 * Rough ns/frame of the flow classifier and of link protection, single thread, frames in off-heap
 * memory. Not a test (no assertion about speed); run by hand:
 *
 * <pre>
 * mvn -q -B -o -pl vnic test-compile
 * java -cp vnic/target/classes:vnic/target/test-classes:$HOME/.m2/repository/org/agrona/agrona/1.23.1/agrona-1.23.1.jar \
 *     org.xnb.vnic.flow.ClassifierBenchMain [rounds]
 * </pre>
 */
public final class ClassifierBenchMain {
    private ClassifierBenchMain() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        UnsafeBuffer[] frames = {
            FlowClassifierTest.v4(-1, 0xb8, 0, IpHeaders.PROTO_TCP, FlowClassifierTest.PEER_V4, FlowClassifierTest.GUEST_V4, 5, 80),
            FlowClassifierTest.v4(7, 0, 0, IpHeaders.PROTO_UDP, FlowClassifierTest.PEER_V4, FlowClassifierTest.GUEST_V4, 53, 53),
            FlowClassifierTest.v6(-1, 0, IpHeaders.PROTO_TCP, 9, 2, 5, 443),
            FlowClassifierTest.v6(100, 0xb8, IpHeaders.PROTO_UDP, 2, 9, 80, 5),
        };
        String[][] tables = {
            {"transport+local_port (64 flows)", null},
            {"local_ip (64 prefixes, v4+v6)", null},
            {"dsfield (8 flows)", null},
        };
        FlowClassifier[] classifiers = {ports(), prefixes(), dsfields()};
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < classifiers.length; t++) {
                FlowClassifier c = classifiers[t];
                int n = 5_000_000;
                long sum = 0;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    UnsafeBuffer f = frames[i & 3];
                    sum += c.classifyInbound(f, 0, f.capacity());
                }
                long ns = System.nanoTime() - start;
                System.out.printf("classify %-34s %6.1f ns/frame (checksum %d)%n", tables[t][0], (double) ns / n, sum);
            }
            LinkProtection p = LinkProtection.of(new byte[] {0, 0x16, 0x3e, 0, 0, 1}, 0, LinkProperties.defaults(2)
                    .setAll("protection=mac-nospoof,restricted,ip-nospoof,dhcp-nospoof,allowed-ips=198.19.0.0/16,2001:db8::/64"));
            ProtectionCounters counters = new ProtectionCounters();
            int n = 5_000_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                UnsafeBuffer f = frames[i & 3];
                p.check(f, 0, f.capacity(), counters);
            }
            long ns = System.nanoTime() - start;
            System.out.printf("protect  %-34s %6.1f ns/frame (%s)%n", "all four types", (double) ns / n, counters);
        }
    }

    private static FlowClassifier ports() {
        FlowTable t = new FlowTable("bench");
        for (int i = 0; i < 64; i++) {
            t.add("p" + i, FlowSpec.localPort(i % 2 == 0 ? Transport.TCP : Transport.UDP, 1 + i * 7), FlowProperties.DEFAULTS);
        }
        t.add("web", FlowSpec.parse("transport=tcp,local_port=80"), FlowProperties.DEFAULTS);
        return t.classifier();
    }

    private static FlowClassifier prefixes() {
        FlowTable t = new FlowTable("bench");
        for (int i = 0; i < 32; i++) {
            t.add("v4n" + i, FlowSpec.parse("local_ip=10." + i + ".0.0/16"), FlowProperties.DEFAULTS);
            t.add("v6n" + i, FlowSpec.parse("local_ip=2001:db8:" + Integer.toHexString(i + 1) + "::/48"), FlowProperties.DEFAULTS);
        }
        t.add("guest", FlowSpec.parse("local_ip=198.18.0.0/15"), FlowProperties.DEFAULTS);
        return t.classifier();
    }

    private static FlowClassifier dsfields() {
        FlowTable t = new FlowTable("bench");
        for (int i = 1; i <= 8; i++) {
            t.add("ds" + i, FlowSpec.dsfield(i << 2, 0xfc), FlowProperties.DEFAULTS);
        }
        return t.classifier();
    }
}
