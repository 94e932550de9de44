package org.xnb.tools.config;

/** The shape every name and value in the file must have: one token, no spaces or '=' in names. */
final class ConfigNames {
    private ConfigNames() {
    }

    /** Link and flow names: letters, digits, {@code _ . -}, at most 31 (dladm's MAXLINKNAMELEN - 1). */
    static String check(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 31 || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' is not valid: use 1-31 letters, digits, '_', '.' or '-'");
        }
        return name;
    }
}
