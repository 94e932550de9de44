package org.xnb.tools.admin;

import java.util.List;
import org.xnb.netback.admin.EtherstubStatus;
import org.xnb.netback.admin.VnicStatus;

/**
 * The changing admin requests with dladm's persistence: each applies to the running daemon and to
 * the configuration file ({@link Scope#BOTH}, the default), to the daemon only ({@code -t}) or to
 * the file only ({@code -P}). The daemon's is {@code org.xnb.tools.config.ConfiguredLinks}.
 * Refusals are {@link org.xnb.netback.admin.LinkAdminException} or {@link IllegalArgumentException}.
 */
public interface PersistentAdmin {

    enum Scope {
        BOTH, TEMPORARY, PERSISTENT;

        /** From the request's {@code -t} and {@code -P}. */
        public static Scope of(boolean temporary, boolean persistent) {
            if (temporary && persistent) {
                throw new IllegalArgumentException("-t and -P exclude each other: -t changes only the running daemon, "
                        + "-P only the configuration file");
            }
            return temporary ? TEMPORARY : persistent ? PERSISTENT : BOTH;
        }
    }

    void createEtherstub(String name, Scope scope);

    void deleteEtherstub(String name, Scope scope);

    List<EtherstubStatus> etherstubs();

    /** @return the VNIC as made (for -P: as it will be made) */
    VnicStatus createVnic(String name, String over, String mac, int vid, String properties, Scope scope);

    void deleteVnic(String name, Scope scope);

    void setProperties(String link, String assignments, Scope scope);

    void resetProperty(String link, String name, Scope scope);

    /** show-vnic -P: the VNICs in the configuration file (STATE {@code --}), as show-vnic's rows. */
    List<java.util.Map<String, String>> persistedVnics();

    /** show-linkprop -P: the properties the file holds for {@code link} (null = every link in it). */
    List<org.xnb.netback.admin.LinkPropertyStatus> persistedProperties(String link);

    /** flowadm's changes that the file keeps too, or null (then the daemon's own, not kept). */
    default org.xnb.netback.admin.FlowAdmin flowAdmin() {
        return null;
    }

    /** show-vnic's VID: the VLAN id of {@code link}, 0 for none. */
    default int vid(String link) {
        return 0;
    }
}
