package org.xnb.tools.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.prop.LinkProperties;

class ConfigFormatTest {
    static final Path SRC = Path.of("/etc/xnb/xnb.conf");

    static Configuration sample() {
        LinkProperties web = LinkProperties.defaults(4)
                .setAll("maxbw=1.234567M,priority=high,cpus=0,2-3,protection=mac-nospoof,ip-nospoof,allowed-ips=198.18.0.2,198.19.0.0/16,mtu=9000");
        LinkProperties db = LinkProperties.defaults(4);
        return new Configuration(
                List.of(new EtherstubConfig("stub0")),
                List.of(new VnicConfig("web0", "stub0", "00:16:3E:01:02:03", 0, web),
                        new VnicConfig("db0", "eth0", "02:00:00:00:00:01", 42, db)),
                List.of(new FlowConfig("http", "web0", FlowSpec.parse("transport=tcp,local_port=80"),
                                FlowProperties.DEFAULTS.setAll("maxbw=50M,priority=low")),
                        new FlowConfig("ef", "db0", FlowSpec.parse("dsfield=0xb8:0xfc"), FlowProperties.DEFAULTS)));
    }

    @Test
    void roundTripKeepsEveryFieldExactly() throws Exception {
        Configuration c = sample();
        String text = ConfigFormat.write(c);
        Configuration back = ConfigFormat.parse(text, SRC, 4);
        assertEquals(c, back);
        assertEquals(1_234_567L, back.vnics().get(0).properties().maxbw().getAsLong());
        assertEquals("00:16:3e:01:02:03", back.vnics().get(0).mac());
        assertEquals(42, back.vnics().get(1).vlan());
        assertEquals(text, ConfigFormat.write(back), "writing what was read gives the same text");
    }

    @Test
    void textIsLineBasedAndReadable() {
        String text = ConfigFormat.write(sample());
        assertTrue(text.contains("\nxnb-config 1\n"), text);
        assertTrue(text.contains("\netherstub stub0\n"), text);
        assertTrue(text.contains("\nvnic web0 over=stub0 mac=00:16:3e:01:02:03 vlan=0 maxbw=1234.567K priority=high cpus=0,2-3 "), text);
        assertTrue(text.contains("\nvnic db0 over=eth0 mac=02:00:00:00:00:01 vlan=42\n"), text);
        assertTrue(text.contains("\nflow http link=web0 spec=transport=tcp,local_port=80 maxbw=50000K priority=low\n"), text);
        assertTrue(text.endsWith("\nend\n"), text);
    }

    @Test
    void emptyConfigurationRoundTrips() throws Exception {
        assertEquals(Configuration.EMPTY, ConfigFormat.parse(ConfigFormat.write(Configuration.EMPTY), SRC, 1));
    }

    private static ConfigFileException bad(String text) {
        return assertThrows(ConfigFileException.class, () -> ConfigFormat.parse(text, SRC, 4));
    }

    @Test
    void errorsNameFileLineAndProblem() {
        ConfigFileException e = bad("xnb-config 1\netherstub stub0\nvnic web0 over=stub0 mac=00:16:3e:01:02:03 vlan=0 maxbw=fast\nend\n");
        assertEquals(3, e.line());
        assertEquals(SRC, e.path());
        assertTrue(e.getMessage().startsWith("/etc/xnb/xnb.conf:3: maxbw: 'fast' is not a bandwidth"), e.getMessage());

        assertEquals(2, bad("xnb-config 1\nbridge br0\nend\n").line());
        assertTrue(bad("xnb-config 1\nbridge br0\nend\n").problem().contains("unknown entry 'bridge'"));
        assertTrue(bad("xnb-config 1\nvnic web0 over=stub0 vlan=0\nend\n").problem().contains("'mac=' is missing"));
        assertTrue(bad("xnb-config 1\nvnic web0 over=stub0 mac=zz vlan=0\nend\n").problem().contains("six hex octets"));
        assertTrue(bad("xnb-config 1\nvnic web0 over=s mac=02:00:00:00:00:01 vlan=4095\nend\n").problem().contains("1-4094"));
        assertTrue(bad("xnb-config 1\nvnic web0 over=s mac=02:00:00:00:00:01 vlan=0 vlan=1\nend\n").problem().contains("given twice"));
        assertTrue(bad("xnb-config 1\nvnic web0 over=s mac=02:00:00:00:00:01 vlan=0 cpus=7\nend\n").problem().contains("CPU 7"));
        assertTrue(bad("xnb-config 1\nvnic a over=s mac=02:00:00:00:00:01 vlan=0\nflow f link=a spec=local_port=80\nend\n")
                .problem().contains("local_port needs transport"));
        assertTrue(bad("xnb-config 1\netherstub s0\nflow f link=s0 spec=transport=udp\nend\n").problem()
                .contains("is an etherstub, not a VNIC"));
        assertTrue(bad("xnb-config 1\nlinkprop vif1.0 maxbw=1X\nend\n").problem().contains("maxbw"));
        assertTrue(bad("xnb-config 1\netherstub vif1.0\nlinkprop vif1.0 maxbw=10M\nend\n").problem()
                .contains("defined twice"));
        assertTrue(bad("xnb-config 1\netherstub a\netherstub a\nend\n").problem().contains("defined twice"));
    }

    @Test
    void truncatedFileIsRecognised() {
        String full = ConfigFormat.write(sample());
        String cut = full.substring(0, full.indexOf("flow ef"));
        ConfigFileException e = bad(cut);
        assertTrue(e.problem().contains("truncated"), e.getMessage());
        assertTrue(bad(full + "etherstub late\n").problem().contains("after the 'end'"));
    }

    @Test
    void versionsAreChecked() {
        ConfigFileException newer = bad("# c\nxnb-config 2\nend\n");
        assertEquals(2, newer.line());
        assertEquals("format version 2 was written by a newer xnb; this one reads versions up to 1", newer.problem());
        assertTrue(bad("xnb-config 0\nend\n").problem().contains("does not exist"));
        assertTrue(bad("hello\n").problem().contains("not an xnb configuration"));
        assertEquals(0, bad("# only comments\n").line());
    }
}
