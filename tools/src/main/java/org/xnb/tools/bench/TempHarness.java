package org.xnb.tools.bench;

import java.nio.file.Path;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.ScratchDirectory;

/** A harness directory made for one benchmark run (in /dev/shm when there is one) and removed after it. */
final class TempHarness implements AutoCloseable {
    private final ScratchDirectory scratch;

    TempHarness(Path parent) {
        scratch = new ScratchDirectory(parent, "xnb-bench-");
        HarnessDirectory.create(scratch.path()).close();
    }

    Path dir() {
        return scratch.path();
    }

    void createDomain(int domid, int pages, int grants, int ports) {
        try (HarnessDirectory h = HarnessDirectory.open(scratch.path())) {
            h.createDomain(domid, pages, grants, ports);
        }
    }

    @Override
    public void close() {
        scratch.close();
    }
}
