package org.xnb.harness.hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one simulated host, removed with everything in it on {@link #close()}.
 * It goes under /dev/shm when there is one: the harness files are the guests' RAM, best kept off
 * disk.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path path;

    /**
     * @param parent where to create it; {@code null}: /dev/shm if writable, else the temp dir
     * @param prefix the start of the directory's name
     */
    public ScratchDirectory(Path parent, String prefix) {
        try {
            path = Files.createTempDirectory(parent != null ? parent : defaultParent(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("create a harness directory", e);
        }
    }

    private static Path defaultParent() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + path, e);
        }
    }
}
