package org.xnb.netback.admin;

import java.util.List;

/**
 * What the admin commands ask of a running backend (dladm's show-vnic, show-link, show-linkprop,
 * set-linkprop, reset-linkprop on the live vifs). Every connected vif is a VNIC named
 * {@code vif<domid>.<devid>}. Control path: each call may take a lock and talk to xenstore; none
 * touches a lane's data path beyond handing it a new value.
 *
 * <p>Errors ({@link LinkAdminException}) say what was wrong and what is allowed.
 */
public interface LinkAdmin {

    /** Every connected vif, sorted by domain and device. */
    List<VnicStatus> vnics();

    /** Counters of every connected vif (or only {@code link} when it is not null). */
    List<LinkStatistics> statistics(String link);

    /** The properties of {@code link} (null = every vif), in show-linkprop order. */
    List<LinkPropertyStatus> properties(String link);

    /**
     * Sets {@code name=value[,name=value...]} on a live vif: all or nothing.
     *
     * @param temporary dladm's {@code -t}; every change is temporary for now (it lasts as long as the
     *                  vif's connection), so this is recorded only
     */
    void setProperties(String link, String assignments, boolean temporary);

    /** Puts {@code name} back to its default (for maxbw: the xenstore {@code rate}, if any). */
    void resetProperty(String link, String name);
}
