package org.xnb.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.xnb.harness.hypervisor.HarnessDirectory;

/** A harness directory made for one benchmark run (in /dev/shm when there is one) and removed after it. */
final class TempHarness implements AutoCloseable {
    private final Path dir;

    TempHarness(Path parent) {
        try {
            Path base = parent != null ? parent : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : null;
            this.dir = base != null ? Files.createTempDirectory(base, "xnb-bench-") : Files.createTempDirectory("xnb-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("create a harness directory", e);
        }
        HarnessDirectory.create(dir).close();
    }

    Path dir() {
        return dir;
    }

    void createDomain(int domid, int pages, int grants, int ports) {
        try (HarnessDirectory h = HarnessDirectory.open(dir)) {
            h.createDomain(domid, pages, grants, ports);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + dir, e);
        }
    }
}
