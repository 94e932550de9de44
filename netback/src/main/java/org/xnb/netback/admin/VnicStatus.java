package org.xnb.netback.admin;

/**
 * One vif as show-vnic prints it.
 *
 * @param name  {@code vif<domid>.<devid>}
 * @param over  the link it joined (its xenstore {@code bridge} key, or the daemon's default)
 * @param mac   the toolstack's MAC, {@code xx:xx:xx:xx:xx:xx}
 * @param state {@code up}, or {@code disabled} after a fatal guest error
 * @param guest {@code /local/domain/<domid>/name}, or null when the guest has none
 */
public record VnicStatus(String name, int domid, int devid, String over, String mac, String state, String guest) {
}
