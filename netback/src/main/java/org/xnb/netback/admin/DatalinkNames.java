package org.xnb.netback.admin;

import java.util.regex.Pattern;

/**
 * The names create-etherstub and create-vnic accept, after dladm's datalink names: a letter first,
 * then letters, digits, '_' or '.', a digit last ({@code stub0}, {@code web0}). A VNIC's name is
 * also its dom0 interface's, so at most 15 characters (Linux's IFNAMSIZ - 1); an etherstub's at most
 * 31 (dladm's MAXLINKNAMELEN - 1). {@code vif<domid>.<devid>} is the guests' and refused.
 */
public final class DatalinkNames {
    public static final int VNIC_MAX = 15;
    public static final int ETHERSTUB_MAX = 31;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*[0-9]");
    private static final Pattern VIF = Pattern.compile("vif[0-9]+\\.[0-9]+");

    private DatalinkNames() {
    }

    /** @throws IllegalArgumentException saying what was wrong and what is allowed */
    public static String check(String name, String what, int max) {
        String rule = "a letter first, then letters, digits, '_' or '.', ending in a digit, at most " + max
                + " characters (like " + (what.equals("etherstub") ? "stub0" : "web0") + ")";
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " name missing; allowed: " + rule);
        }
        if (name.length() > max) {
            throw new IllegalArgumentException(what + " name '" + name + "' is " + name.length()
                    + " characters long; allowed: " + rule);
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name + "'; allowed: " + rule);
        }
        if (VIF.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name
                    + "': vif<domid>.<devid> names are the guests' vifs");
        }
        return name;
    }
}
