package org.xnb.vnic.flow;

import java.util.Objects;
import org.xnb.vnic.prop.PropertyException;

/**
 * One flow on a link: its name, attributes ({@link FlowSpec}), properties (maxbw, priority; may be
 * changed by set-flowprop, published by a volatile write) and counters.
 */
public final class Flow {
    /** flowadm: at most 31 characters. */
    public static final int MAX_NAME_LENGTH = 31;

    private final String name;
    private final FlowSpec spec;
    private final FlowCounters counters = new FlowCounters();
    private volatile FlowProperties properties;

    public Flow(String name, FlowSpec spec, FlowProperties properties) {
        this.name = checkName(name);
        this.spec = Objects.requireNonNull(spec, "spec");
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /**
     * flowadm's rule for a flow name: letters, digits, '_', '.' and '-', beginning with a letter,
     * at most 31 characters.
     */
    public static String checkName(String name) {
        String rule = "a flow name has 1-" + MAX_NAME_LENGTH
                + " characters (letters, digits, '_', '.', '-') and begins with a letter";
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new PropertyException("invalid flow name '" + name + "': " + rule);
        }
        char first = name.charAt(0);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
            throw new PropertyException("invalid flow name '" + name + "': " + rule);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
            if (!ok) {
                throw new PropertyException("invalid flow name '" + name + "': " + rule);
            }
        }
        return name;
    }

    public String name() {
        return name;
    }

    public FlowSpec spec() {
        return spec;
    }

    public FlowProperties properties() {
        return properties;
    }

    /** set-flowprop / reset-flowprop. */
    public void properties(FlowProperties p) {
        this.properties = Objects.requireNonNull(p, "properties");
    }

    public FlowCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return name + "[" + spec + " " + properties + "]";
    }
}
