package org.xnb.tools.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.prop.LinkProperties;

/**
 * The text form of a {@link Configuration}: one line per object, {@code key=value} tokens separated
 * by spaces (no value holds a space), a version line first and an {@code end} line last, so a
 * truncated file is recognised.
 *
 * <pre>
 * # comment
 * xnb-config 1
 * etherstub stub0
 * vnic web0 over=stub0 mac=00:16:3e:01:02:03 vlan=0 maxbw=100000K cpus=0,2-3
 * linkprop vif1.0 maxbw=100000K
 * flow http link=web0 spec=transport=tcp,local_port=80 maxbw=50000K priority=high
 * end
 * </pre>
 *
 * Link properties are written only when not at their default; {@code maxbw} in kbit/s so the value
 * read back is the same number of bits per second.
 */
public final class ConfigFormat {
    public static final int VERSION = 1;
    static final String MAGIC = "xnb-config";

    private ConfigFormat() {
    }

    public static String write(Configuration c) {
        StringBuilder sb = new StringBuilder();
        sb.append("# xnb persistent configuration, written by xnb; the previous good copy is kept as <file>.bak\n");
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        for (EtherstubConfig e : c.etherstubs()) {
            sb.append("etherstub ").append(e.name()).append('\n');
        }
        for (VnicConfig v : c.vnics()) {
            sb.append("vnic ").append(v.name()).append(" over=").append(v.over()).append(" mac=").append(v.mac())
                    .append(" vlan=").append(v.vlan());
            for (String t : propertyTokens(v.properties())) {
                sb.append(' ').append(t);
            }
            sb.append('\n');
        }
        for (LinkPropConfig l : c.linkprops()) {
            sb.append("linkprop ").append(l.name());
            for (String t : propertyTokens(l.properties())) {
                sb.append(' ').append(t);
            }
            sb.append('\n');
        }
        for (FlowConfig f : c.flows()) {
            sb.append("flow ").append(f.name()).append(" link=").append(f.link()).append(" spec=").append(f.spec());
            f.properties().maxbw().ifPresent(bw -> sb.append(" maxbw=").append(kbits(bw)));
            sb.append(" priority=").append(f.properties().priority().token());
            sb.append('\n');
        }
        sb.append("end\n");
        return sb.toString();
    }

    /**
     * The properties not at their default as {@code name=value} tokens ({@code maxbw} in kbit/s),
     * which {@link LinkProperties#setAll} takes back joined by commas.
     */
    public static List<String> propertyTokens(LinkProperties p) {
        List<String> out = new ArrayList<>();
        p.maxbw().ifPresent(bw -> out.add("maxbw=" + kbits(bw)));
        for (String name : LinkProperties.NAMES) {
            if (name.equals(LinkProperties.MAXBW)) {
                continue;
            }
            String value = p.get(name);
            if (!value.equals("--") && !value.equals(LinkProperties.defaultText(name))) {
                out.add(name + "=" + value);
            }
        }
        return out;
    }

    private static String kbits(long bitsPerSecond) {
        return BigDecimal.valueOf(bitsPerSecond).movePointLeft(3).stripTrailingZeros().toPlainString() + "K";
    }

    /**
     * Parses a file's text. Link properties are checked against {@code availableCpus} (a
     * {@code cpus} list naming a CPU this machine lacks is an error on its line).
     */
    public static Configuration parse(String text, Path source, int availableCpus) throws ConfigFileException {
        String[] lines = text.split("\n", -1);
        int versionLine = 0;
        boolean ended = false;
        List<EtherstubConfig> stubs = new ArrayList<>();
        List<VnicConfig> vnics = new ArrayList<>();
        List<FlowConfig> flows = new ArrayList<>();
        List<LinkPropConfig> linkprops = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (ended) {
                throw new ConfigFileException(source, no, "text after the 'end' line");
            }
            String[] tok = line.split("\\s+");
            if (versionLine == 0) {
                checkVersion(tok, source, no);
                versionLine = no;
                continue;
            }
            try {
                switch (tok[0]) {
                    case "etherstub" -> {
                        need(tok, 2, "etherstub NAME");
                        stubs.add(new EtherstubConfig(tok[1]));
                    }
                    case "vnic" -> vnics.add(vnic(tok, availableCpus));
                    case "flow" -> flows.add(flow(tok));
                    case "linkprop" -> linkprops.add(linkprop(tok, availableCpus));
                    case "end" -> {
                        need(tok, 1, "end");
                        ended = true;
                    }
                    default -> throw new IllegalArgumentException("unknown entry '" + tok[0]
                            + "'; expected etherstub, vnic, linkprop, flow or end");
                }
            } catch (RuntimeException e) { // PropertyException, IllegalArgumentException: the line's fault
                throw new ConfigFileException(source, no, e.getMessage());
            }
        }
        if (versionLine == 0) {
            throw new ConfigFileException(source, 0, "not an xnb configuration: no '" + MAGIC + " " + VERSION + "' line");
        }
        if (!ended) {
            throw new ConfigFileException(source, lines.length, "truncated: the 'end' line is missing");
        }
        try {
            return new Configuration(stubs, vnics, flows, linkprops);
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(source, 0, e.getMessage());
        }
    }

    private static void checkVersion(String[] tok, Path source, int no) throws ConfigFileException {
        if (tok.length != 2 || !tok[0].equals(MAGIC) || !tok[1].matches("[0-9]{1,6}")) {
            throw new ConfigFileException(source, no, "not an xnb configuration: expected '" + MAGIC + " "
                    + VERSION + "' as the first line, found '" + String.join(" ", tok) + "'");
        }
        int v = Integer.parseInt(tok[1]);
        if (v > VERSION) {
            throw new ConfigFileException(source, no, "format version " + v
                    + " was written by a newer xnb; this one reads versions up to " + VERSION);
        }
        if (v < 1) {
            throw new ConfigFileException(source, no, "format version " + v + " does not exist");
        }
    }

    private static VnicConfig vnic(String[] tok, int availableCpus) {
        if (tok.length < 2 || tok[1].contains("=")) {
            throw new IllegalArgumentException("expected 'vnic NAME over=LINK mac=MAC vlan=VID [property=value ...]'");
        }
        Map<String, String> kv = keyValues(tok, 2);
        String over = required(kv, "over");
        String mac = required(kv, "mac");
        String vlanText = required(kv, "vlan");
        if (!vlanText.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("vlan '" + vlanText + "' is not a number");
        }
        LinkProperties p = LinkProperties.defaults(availableCpus);
        for (Map.Entry<String, String> e : kv.entrySet()) {
            p = p.set(e.getKey(), e.getValue());
        }
        return new VnicConfig(tok[1], over, mac, Integer.parseInt(vlanText), p);
    }

    private static LinkPropConfig linkprop(String[] tok, int availableCpus) {
        if (tok.length < 2 || tok[1].contains("=")) {
            throw new IllegalArgumentException("expected 'linkprop NAME property=value ...'");
        }
        LinkProperties p = LinkProperties.defaults(availableCpus);
        for (Map.Entry<String, String> e : keyValues(tok, 2).entrySet()) {
            p = p.set(e.getKey(), e.getValue());
        }
        return new LinkPropConfig(tok[1], p);
    }

    private static FlowConfig flow(String[] tok) {
        if (tok.length < 2 || tok[1].contains("=")) {
            throw new IllegalArgumentException("expected 'flow NAME link=LINK spec=ATTRS [maxbw=BW] [priority=P]'");
        }
        Map<String, String> kv = keyValues(tok, 2);
        String link = required(kv, "link");
        FlowSpec spec = FlowSpec.parse(required(kv, "spec"));
        FlowProperties p = FlowProperties.DEFAULTS;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            p = p.set(e.getKey(), e.getValue());
        }
        return new FlowConfig(tok[1], link, spec, p);
    }

    /** The {@code key=value} tokens from {@code from} on, each key once, in order. */
    private static Map<String, String> keyValues(String[] tok, int from) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = from; i < tok.length; i++) {
            int eq = tok[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + tok[i] + "' is not key=value");
            }
            if (kv.put(tok[i].substring(0, eq), tok[i].substring(eq + 1)) != null) {
                throw new IllegalArgumentException("'" + tok[i].substring(0, eq) + "' is given twice");
            }
        }
        return kv;
    }

    private static String required(Map<String, String> kv, String key) {
        String v = kv.remove(key);
        if (v == null) {
            throw new IllegalArgumentException("'" + key + "=' is missing");
        }
        return v;
    }

    private static void need(String[] tok, int n, String form) {
        if (tok.length != n) {
            throw new IllegalArgumentException("expected '" + form + "'");
        }
    }
}
