package org.xnb.vnic.prop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Splits dladm's {@code name=value[,name=value...]} syntax, in which a value may itself be a comma
 * list ({@code cpus=0,2-3}, {@code protection=mac-nospoof,ip-nospoof},
 * {@code allowed-ips=198.18.0.2,198.18.0.3}). A comma starts a new assignment only when what
 * follows is {@code known-name=}; otherwise the piece belongs to the previous value, which is
 * allowed only for the names listed as taking lists. Every name at most once.
 */
public final class PropertyList {
    private PropertyList() {
    }

    /**
     * @param known every property name that may appear
     * @param listValued the names whose value may contain commas
     * @param what "property" or "attribute", for messages
     * @return name to raw value, in the order given
     */
    public static Map<String, String> split(String text, Set<String> known, Set<String> listValued, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            throw new PropertyException("empty " + what + " list; expected name=value[,name=value...]");
        }
        String current = null;
        StringBuilder value = new StringBuilder();
        for (String piece : text.split(",", -1)) {
            int eq = piece.indexOf('=');
            String name = eq < 0 ? null : piece.substring(0, eq).trim();
            if (name != null && !known.contains(name)) {
                throw new PropertyException("unknown " + what + " '" + name + "'; allowed: " + String.join(", ", known));
            }
            if (name == null) {
                if (current == null) {
                    throw new PropertyException("'" + piece + "' is not name=value; expected name=value[,name=value...]");
                }
                if (!listValued.contains(current)) {
                    throw new PropertyException(what + " " + current + " takes one value, not a list: '"
                            + value + "," + piece + "'");
                }
                value.append(',').append(piece);
                continue;
            }
            if (current != null) {
                put(out, current, value.toString(), what);
            }
            current = name;
            value.setLength(0);
            value.append(piece.substring(eq + 1));
        }
        put(out, current, value.toString(), what);
        return out;
    }

    private static void put(Map<String, String> out, String name, String value, String what) {
        if (out.containsKey(name)) {
            throw new PropertyException(what + " " + name + " is given more than once");
        }
        out.put(name, value);
    }
}
