package org.xnb.harness.netfront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.xnb.harness.hypervisor.HarnessAccount;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessHypervisor;

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
    public final HarnessHypervisor hypervisor;
    public final HarnessAccount account;

    /** A host in /dev/shm (or the temp dir when there is no /dev/shm). */
    public HarnessHost() {
        this(null);
    }

    /** A host in a new directory under {@code parent} ({@code null}: /dev/shm or the temp dir). */
    public HarnessHost(Path parent) {
        try {
            Path shm = Path.of("/dev/shm");
            Path base = parent != null ? parent : Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            dir = Files.createTempDirectory(base, "xnb-netback-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
