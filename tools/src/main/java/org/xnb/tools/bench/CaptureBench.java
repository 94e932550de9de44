package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.tools.capture.CaptureSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb bench capture}: how many frames per second a capture session writes to a pcap file
 * without loss. A producer thread (the lane) offers frames; when the ring is full it retries, so
 * the rate is the writer's, the most a lane can send through {@code snoop} losslessly. The
 * number of times the ring was full is printed too (each would be a lost frame for a real lane).
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Frames/s through the capture ring into a pcap file (writer-bound, lossless).",
        footer = {"", "Example:", "  bin/xnb bench capture --frames 2000000 --size 64"})
public final class CaptureBench implements Callable<Integer> {
    @Option(names = "--frames", defaultValue = "2000000", description = "Frames per size (default ${DEFAULT-VALUE}).")
    long frames;

    @Option(names = "--slots", defaultValue = "4096", description = "Ring slots, a power of two (default ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--dir", description = "Where the pcap goes (default /dev/shm, else the temp dir); removed after.")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path base = dir != null ? dir : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        out.printf("capture ring -> pcap, %d frames per size, %d slots, snaplen = frame size, file in %s%n", frames, slots, base);
        out.printf("%6s %12s %10s %12s%n", "size", "frames/s", "MB/s", "ring full");
        for (int size : new int[] {64, 1514}) {
            Path file = Files.createTempFile(base, "xnb-capture-bench", ".pcap");
            try {
                UnsafeBuffer frame = new UnsafeBuffer(new byte[size]);
                long full = 0;
                long t0;
                long t1;
                CaptureSession s = new CaptureSession(file, Math.max(size, 14), slots, frames);
                t0 = System.nanoTime();
                for (long i = 0; i < frames; i++) {
                    while (!s.capture(frame, 0, size)) {
                        full++;
                        Thread.onSpinWait();
                    }
                }
                if (!s.awaitDone(300, java.util.concurrent.TimeUnit.SECONDS)) {
                    out.println("the writer did not finish in 300 s");
                    s.close();
                    return 1;
                }
                t1 = System.nanoTime();
                s.close();
                if (s.written() != frames) {
                    out.printf("wrote %d of %d frames%n", s.written(), frames);
                    return 1;
                }
                double secs = (t1 - t0) / 1e9;
                out.printf("%6d %12.0f %10.1f %12d%n", size, frames / secs, frames * (16.0 + size) / secs / 1e6, full);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        out.flush();
        return 0;
    }
}
