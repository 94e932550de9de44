package org.xnb.harness.hypervisor;

import java.nio.file.Path;
import org.xnb.grant.Hypervisor;

/**
 * The backend's view of the harness: grant tables and event channels acting as domain
 * {@code domid} (usually 0), against guests simulated in this or other processes that share
 * the harness directory. Behaves as {@link org.xnb.grant.xen.XenHypervisor} does on a real host,
 * down to Xen's GNTST codes; see {@link HarnessGrantTable} and {@link HarnessEventChannel}.
 */
public final class HarnessHypervisor implements Hypervisor {
    private final HarnessDirectory harness;
    private final int domid;

    /** Acts as {@code domid}, which must exist in the harness at {@code dir}. */
    public HarnessHypervisor(Path dir, int domid) {
        this.harness = HarnessDirectory.open(dir);
        this.domid = domid;
        try {
            harness.requireDomain(domid);
        } catch (RuntimeException e) {
            harness.close();
            throw e;
        }
    }

    public int domid() {
        return domid;
    }

    @Override
    public HarnessGrantTable openGrantTable() {
        return new HarnessGrantTable(harness, domid);
    }

    @Override
    public HarnessEventChannel openEventChannel() {
        return new HarnessEventChannel(harness, domid);
    }

    /** Unmaps the harness files; close the handles opened here first. */
    @Override
    public void close() {
        harness.close();
    }
}
