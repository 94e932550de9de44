package org.xnb.netback.admin;

/**
 * One property of one vif as show-linkprop prints it ({@code --} for none).
 *
 * @param perm      {@code rw} (every property of a vif can be set live)
 * @param value     what was set explicitly with set-linkprop
 * @param effective what is in force: for maxbw the explicit value, else the xenstore {@code rate}
 *                  as bits/s; for cpus the lane thread's affinity
 */
public record LinkPropertyStatus(String link, String property, String perm, String value, String effective,
        String defaultValue, String possible) {
}
