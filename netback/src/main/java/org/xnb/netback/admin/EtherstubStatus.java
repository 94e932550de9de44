package org.xnb.netback.admin;

import java.util.List;

/**
 * One etherstub as show-etherstub prints it.
 *
 * @param vnics the VNICs and vifs on it now, sorted
 */
public record EtherstubStatus(String name, List<String> vnics) {
    public EtherstubStatus {
        vnics = List.copyOf(vnics);
    }
}
