package org.xnb.tools.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.prop.Bandwidth;
import org.xnb.vnic.prop.LinkProperties;

/** Random configurations (every property, every flow kind, odd bandwidths) read back equal to what was written. */
class ConfigRoundTripPropertyTest {
    static final String[] PROTECTION = {"mac-nospoof", "ip-nospoof", "dhcp-nospoof", "restricted"};
    static final String[] PRIORITY = {"low", "medium", "high"};

    static Configuration random(Random r) {
        List<EtherstubConfig> stubs = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            stubs.add(new EtherstubConfig("stub" + i));
        }
        List<VnicConfig> vnics = new ArrayList<>();
        List<FlowConfig> flows = new ArrayList<>();
        for (int i = 0, n = r.nextInt(5); i < n; i++) {
            LinkProperties p = LinkProperties.defaults(4);
            if (r.nextBoolean()) {
                long bits = Bandwidth.MIN_BITS_PER_SECOND + (long) (r.nextDouble() * (Bandwidth.MAX_BITS_PER_SECOND - Bandwidth.MIN_BITS_PER_SECOND));
                p = p.set("maxbw", java.math.BigDecimal.valueOf(bits).movePointLeft(3).toPlainString() + "K");
                assertEquals(bits, p.maxbw().getAsLong());
            }
            if (r.nextBoolean()) {
                p = p.set("priority", PRIORITY[r.nextInt(3)]);
            }
            if (r.nextBoolean()) {
                p = p.set("cpus", r.nextBoolean() ? "0,2-3" : Integer.toString(r.nextInt(4)));
            }
            if (r.nextBoolean()) {
                List<String> prot = new ArrayList<>();
                for (String t : PROTECTION) {
                    if (r.nextBoolean()) {
                        prot.add(t);
                    }
                }
                if (!prot.isEmpty()) {
                    p = p.set("protection", String.join(",", prot));
                }
            }
            if (r.nextBoolean()) {
                p = p.set("allowed-ips", "198.18." + r.nextInt(256) + "." + (1 + r.nextInt(254)) + ",2001:db8::" + (1 + r.nextInt(999))
                        + ",198.19.0.0/16");
            }
            if (r.nextBoolean()) {
                p = p.set("mtu", Integer.toString(68 + r.nextInt(9000 - 68 + 1)));
            }
            String over = !stubs.isEmpty() && r.nextBoolean() ? stubs.get(r.nextInt(stubs.size())).name() : "eth0";
            String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256),
                    r.nextInt(256), r.nextInt(256));
            vnics.add(new VnicConfig("vnic" + i, over, mac, r.nextInt(4095), p));
            String spec = switch (r.nextInt(5)) {
                case 0 -> "local_ip=198.18." + r.nextInt(256) + ".0/24";
                case 1 -> "remote_ip=2001:db8:" + Integer.toHexString(1 + r.nextInt(0xfffe)) + "::/48";
                case 2 -> "transport=" + (r.nextBoolean() ? "udp" : "icmp");
                case 3 -> "transport=tcp,local_port=" + (1 + r.nextInt(65535));
                default -> "dsfield=0x" + Integer.toHexString(0xb8) + ":0xfc";
            };
            FlowProperties fp = FlowProperties.DEFAULTS.set("priority", PRIORITY[r.nextInt(3)]);
            if (r.nextBoolean()) {
                fp = fp.set("maxbw", (2 + r.nextInt(10_000)) + "M");
            }
            if (r.nextBoolean()) {
                flows.add(new FlowConfig("f" + i, "vnic" + i, FlowSpec.parse(spec), fp));
            }
        }
        return new Configuration(stubs, vnics, flows);
    }

    @Test
    void whatIsWrittenIsReadBack() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            Configuration c = random(new Random(seed));
            String text = ConfigFormat.write(c);
            try {
                assertEquals(c, ConfigFormat.parse(text, Path.of("x.conf"), 4), text);
            } catch (ConfigFileException e) {
                throw new AssertionError(e.getMessage() + "\n" + text, e);
            }
        });
    }
}
