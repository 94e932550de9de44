package org.xnb.vnic.prop;

import java.util.Locale;

/** The {@code priority} property of a link or flow: low, medium (the default) or high. */
public enum Priority {
    LOW, MEDIUM, HIGH;

    /** Parses {@code low|medium|high}, case-insensitively as dladm does. */
    public static Priority parse(String text) {
        if (text != null) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "low":
                    return LOW;
                case "medium":
                    return MEDIUM;
                case "high":
                    return HIGH;
                default:
                    break;
            }
        }
        throw new PropertyException("priority: invalid value '" + text + "'; allowed: low, medium, high");
    }

    /** The lower-case token dladm prints. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
