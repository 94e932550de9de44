package org.xnb.harness.netfront;

import java.nio.file.Path;
import org.xnb.harness.hypervisor.HarnessAccount;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.harness.hypervisor.ScratchDirectory;

/**
 * A simulated Xen host for netback tests: backend domain 0 and guests {@link #GUEST_A},
 * {@link #GUEST_B} and {@link #GUEST_C}, in a fresh directory under /dev/shm (deleted on close).
 */
public final class HarnessHost implements AutoCloseable {
    public static final int BACKEND = 0;
    public static final int GUEST_A = 5;
    public static final int GUEST_B = 6;
    public static final int GUEST_C = 7;
    public static final int PAGES = 512;
    public static final int GRANTS = 1024;
    public static final int PORTS = 16;

    public final Path dir;
    private final ScratchDirectory scratch;
    public final HarnessHypervisor hypervisor;
    public final HarnessAccount account;

    /** A host in /dev/shm (or the temp dir when there is no /dev/shm). */
    public HarnessHost() {
        this(null);
    }

    /** A host in a new directory under {@code parent} ({@code null}: /dev/shm or the temp dir). */
    public HarnessHost(Path parent) {
        scratch = new ScratchDirectory(parent, "xnb-netback-");
        dir = scratch.path();
        try (HarnessDirectory h = HarnessDirectory.create(dir)) {
            h.createDomain(BACKEND, 0, GRANTS, PORTS);
            h.createDomain(GUEST_A, PAGES, GRANTS, PORTS);
            h.createDomain(GUEST_B, PAGES, GRANTS, PORTS);
            h.createDomain(GUEST_C, PAGES, GRANTS, PORTS);
        }
        hypervisor = new HarnessHypervisor(dir, BACKEND);
        account = new HarnessAccount(dir);
    }

    @Override
    public void close() {
        account.close();
        hypervisor.close();
        scratch.close();
    }
}
