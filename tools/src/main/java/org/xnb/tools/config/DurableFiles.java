package org.xnb.tools.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that after a crash at any point the name holds either the old or the new
 * content, complete: write a temporary file in the same directory, force it to disk, rename it over
 * the target, force the directory (so the rename itself is durable).
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** The temporary file {@link #replace} writes first; left behind only by a crash, and ignored. */
    public static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /** Atomically and durably makes {@code target} hold {@code content}. */
    public static void replace(Path target, byte[] content) throws IOException {
        Path tmp = temporaryFor(target);
        writeAndForce(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    static void writeAndForce(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** fsync of a directory: on Linux a read-only channel on it can be forced. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
