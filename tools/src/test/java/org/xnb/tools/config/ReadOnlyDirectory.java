package org.xnb.tools.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a directory refuse new files for a test. Root ignores mode bits, so as root the directory
 * gets the immutable attribute ({@code chattr +i}, e2fsprogs); otherwise mode 0555.
 */
final class ReadOnlyDirectory implements AutoCloseable {
    private final Path dir;
    private final boolean root;

    private ReadOnlyDirectory(Path dir, boolean root) {
        this.dir = dir;
        this.root = root;
    }

    static ReadOnlyDirectory of(Path dir) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            chattr("+i", dir);
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        return new ReadOnlyDirectory(dir, root);
    }

    private static void chattr(String flag, Path dir) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("chattr", flag, dir.toString()).inheritIO().start();
        } catch (IOException e) {
            throw new IOException("chattr is missing: apt-get install e2fsprogs", e);
        }
        if (p.waitFor() != 0) {
            throw new IOException("chattr " + flag + " " + dir + " failed (exit " + p.exitValue() + ")");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (root) {
            chattr("-i", dir);
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
