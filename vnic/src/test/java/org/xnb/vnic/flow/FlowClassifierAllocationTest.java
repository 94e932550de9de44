package org.xnb.vnic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.IpHeaders;

/** Classifying allocates nothing per frame, for every table type, by the JVM's per-thread counter. */
class FlowClassifierAllocationTest {
    @Test
    void classifyingAllocatesNothing() {
        String[][] tables = {
            {"local_ip=198.18.0.0/15", "local_ip=2001:db8::/32"},
            {"remote_ip=198.19.0.9"},
            {"transport=udp", "transport=tcp"},
            {"transport=tcp,local_port=80", "transport=udp,local_port=53"},
            {"transport=tcp,remote_port=80"},
            {"dsfield=0xb8:0xfc", "dsfield=0x20"},
        };
        UnsafeBuffer[] frames = {
            FlowClassifierTest.v4(-1, 0xb8, 0, IpHeaders.PROTO_TCP, FlowClassifierTest.PEER_V4, FlowClassifierTest.GUEST_V4, 5, 80),
            FlowClassifierTest.v4(7, 0x20, 0x2000, IpHeaders.PROTO_UDP, FlowClassifierTest.GUEST_V4, FlowClassifierTest.PEER_V4, 53, 5),
            FlowClassifierTest.v6(-1, 0, IpHeaders.PROTO_UDP, 9, 2, 5, 53),
            FlowClassifierTest.v6(100, 0xb8, IpHeaders.PROTO_TCP, 2, 9, 80, 5),
        };
        FlowClassifier[] classifiers = new FlowClassifier[tables.length];
        for (int t = 0; t < tables.length; t++) {
            FlowTable table = new FlowTable("vnic0");
            for (int i = 0; i < tables[t].length; i++) {
                table.add("f" + i, FlowSpec.parse(tables[t][i]), FlowProperties.DEFAULTS);
            }
            classifiers[t] = table.classifier();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long sum = run(classifiers, frames, 20_000); // warm up
        long before = mx.getThreadAllocatedBytes(self);
        sum += run(classifiers, frames, 50_000);
        long allocated = mx.getThreadAllocatedBytes(self) - before;
        assertTrue(allocated < 1024, "classifying " + 50_000 * classifiers.length * frames.length * 2
                + " frames allocated " + allocated + " bytes");
        assertEquals(true, sum != 0, "the classifications did something");
    }

    private static long run(FlowClassifier[] classifiers, UnsafeBuffer[] frames, int rounds) {
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            for (FlowClassifier c : classifiers) {
                for (UnsafeBuffer f : frames) {
                    sum += c.classifyInbound(f, 0, f.capacity()) + 2L * c.classifyOutbound(f, 0, f.capacity());
                }
            }
        }
        return sum;
    }
}
