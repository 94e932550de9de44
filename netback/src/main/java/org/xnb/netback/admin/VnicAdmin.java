package org.xnb.netback.admin;

import java.util.List;

/**
 * dladm's create/delete commands on a running backend: etherstubs (in-process switches) and VNICs
 * made by command (dom0 interfaces on a link; see {@code org.xnb.netback.vnic.HostVnic}). Errors
 * ({@link LinkAdminException}, {@link IllegalArgumentException}) say what was wrong and what is
 * allowed. Control path only.
 */
public interface VnicAdmin {

    /** create-etherstub NAME. */
    void createEtherstub(String name);

    /** delete-etherstub NAME: refused while a VNIC or vif is on it. */
    void deleteEtherstub(String name);

    /** Every etherstub, sorted by name, with what is on it. */
    List<EtherstubStatus> etherstubs();

    /**
     * create-vnic -l OVER [-m MAC] [-v VID] [-p PROPS] NAME.
     *
     * @param mac        {@code xx:xx:xx:xx:xx:xx}, or null for a random {@code 00:16:3e} one
     * @param vid        0 (none)
     * @param properties {@code name=value,...} as set-linkprop takes, or null
     * @return the VNIC made
     */
    VnicStatus createVnic(String name, String over, String mac, int vid, String properties);

    /** delete-vnic NAME (a VNIC made by create-vnic; a vif goes with its guest). */
    void deleteVnic(String name);

    /** The VLAN id of VNIC {@code name} (0: none, or a vif). */
    default int vid(String name) {
        return 0;
    }
}
