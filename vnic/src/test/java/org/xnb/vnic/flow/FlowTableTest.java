package org.xnb.vnic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlowTableTest {
    private final FlowTable table = new FlowTable("vnic1");

    private Flow add(String name, String attrs) {
        return table.add(name, FlowSpec.parse(attrs), FlowProperties.DEFAULTS);
    }

    @Test
    void oneTypePerLink() {
        add("web", "transport=tcp,local_port=80");
        add("dns", "transport=udp,local_port=53");
        FlowException e = assertThrows(FlowException.class, () -> add("udp", "transport=udp"));
        assertTrue(e.getMessage().contains("type transport but link vnic1 has flows of type transport+local_port (web)"),
                e.getMessage());
        assertThrows(FlowException.class, () -> add("rweb", "transport=tcp,remote_port=80"));
        assertEquals(2, table.flows().size());
    }

    @Test
    void ipv4AndIpv6MixInOneAddressTable() {
        add("v4", "local_ip=198.18.0.0/15");
        add("v6", "local_ip=2001:db8::/32");
        assertEquals(2, table.classifier().size());
        assertThrows(FlowException.class, () -> add("rem", "remote_ip=198.18.0.1"));
    }

    @Test
    void duplicatesAndNames() {
        add("a", "transport=tcp,local_port=80");
        assertTrue(assertThrows(FlowException.class, () -> add("b", "local_port=80,transport=tcp"))
                .getMessage().contains("flow a on link vnic1 already has the attributes transport=tcp,local_port=80"));
        assertTrue(assertThrows(FlowException.class, () -> add("a", "transport=tcp,local_port=81"))
                .getMessage().contains("flow a already exists"));
        add("c", "transport=udp,local_port=80");
        FlowTable ip = new FlowTable("l");
        ip.add("n1", FlowSpec.parse("local_ip=198.18.0.9/24"), FlowProperties.DEFAULTS);
        assertThrows(FlowException.class, () -> ip.add("n2", FlowSpec.parse("local_ip=198.18.0.1/24"), FlowProperties.DEFAULTS),
                "same subnet after masking");
        ip.add("n3", FlowSpec.parse("local_ip=198.18.0.1/25"), FlowProperties.DEFAULTS);
    }

    @Test
    void removePublishesANewSnapshot() {
        Flow a = add("a", "dsfield=0x10");
        add("b", "dsfield=0x20");
        FlowClassifier before = table.classifier();
        assertTrue(table.remove("b"));
        assertFalse(table.remove("b"));
        FlowClassifier after = table.classifier();
        assertEquals(2, before.size(), "an old snapshot stays valid for a lane still using it");
        assertEquals(1, after.size());
        assertSame(a, after.flow(0));
        assertTrue(table.remove("a"));
        assertEquals(null, table.classifier().type());
        add("t", "transport=icmp");
        assertEquals(FlowType.TRANSPORT, table.classifier().type(), "an empty link takes any type again");
    }

    @Test
    void countersAndPropertiesOfAFlow() {
        Flow f = add("web", "transport=tcp,local_port=80");
        f.counters().inbound(60);
        f.counters().inbound(1514);
        f.counters().outbound(100);
        f.counters().drop();
        assertEquals("ipkts=2 rbytes=1574 opkts=1 obytes=100 drops=1", f.counters().toString());
        f.properties(f.properties().setAll("maxbw=100M"));
        assertEquals("100", table.find("web").orElseThrow().properties().get("maxbw"));
    }

    @Test
    void boundedFlowCount() {
        for (int p = 1; p <= FlowTable.MAX_FLOWS; p++) {
            add("f" + p, "transport=tcp,local_port=" + p);
        }
        assertTrue(assertThrows(FlowException.class, () -> add("more", "transport=tcp,local_port=5000"))
                .getMessage().contains("1024 flows"));
    }
}
