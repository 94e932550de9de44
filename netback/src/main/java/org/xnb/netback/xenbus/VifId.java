package org.xnb.netback.xenbus;

/**
 * Names one vif: the guest (frontend domain) and its device number, the last two components of
 * the backend directory {@code /local/domain/<backend>/backend/vif/<frontendDomid>/<devid>}.
 */
public record VifId(int frontendDomid, int devid) implements Comparable<VifId> {

    public VifId {
        if (frontendDomid < 0 || frontendDomid > 0xffff) {
            throw new IllegalArgumentException("frontend domain id out of range: " + frontendDomid);
        }
        if (devid < 0) {
            throw new IllegalArgumentException("negative device id: " + devid);
        }
    }

    @Override
    public int compareTo(VifId o) {
        int c = Integer.compare(frontendDomid, o.frontendDomid);
        return c != 0 ? c : Integer.compare(devid, o.devid);
    }

    @Override
    public String toString() {
        return "vif" + frontendDomid + "." + devid;
    }
}
