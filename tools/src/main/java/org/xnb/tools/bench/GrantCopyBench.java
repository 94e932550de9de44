package org.xnb.tools.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.agrona.UnsafeAccess;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput of the harness's grant copy against a plain memcpy of the same segments, in the
 * same run: the ratio is the cost of the grant checks and pins per segment.
 */
@Command(name = "grant-copy", mixinStandardHelpOptions = true,
        description = "GB/s of harness grant copy (64 B, 1500 B, 4 KiB segments, in batches) next to memcpy.",
        footer = {"", "Example:", "  bin/xnb bench grant-copy --seconds 2 --batch 64"})
public final class GrantCopyBench implements Callable<Integer> {
    private static final int BACKEND = 0;
    private static final int GUEST = 1;
    private static final int PAGES = 256;
    private static final int[] SIZES = {64, 1500, XenPage.SIZE};

    @Option(names = "--seconds", description = "Measuring time per row (default ${DEFAULT-VALUE}).", defaultValue = "1")
    double seconds;

    @Option(names = "--batch", description = "Segments per copy call, 1..256 (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int batchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", description = "Where to put the harness (default /dev/shm).")
    Path parent;

    @Override
    public Integer call() {
        if (batchSize < 1 || batchSize > PAGES || seconds <= 0 || seconds > 600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be 1.." + PAGES + " and --seconds 0..600");
        }
        try (TempHarness harness = new TempHarness(parent)) {
            harness.createDomain(BACKEND, 0, 16, 8);
            harness.createDomain(GUEST, PAGES, PAGES + 16, 8);
            try (HarnessGuest guest = new HarnessGuest(harness.dir(), GUEST);
                 HarnessHypervisor xen = new HarnessHypervisor(harness.dir(), BACKEND);
                 GrantTable table = xen.openGrantTable()) {
                int[] refs = new int[PAGES];
                for (int i = 0; i < PAGES; i++) {
                    refs[i] = guest.grantAccess(i, BACKEND, false);
                }
                long local = UnsafeAccess.UNSAFE.allocateMemory((long) PAGES * XenPage.SIZE);
                try {
                    UnsafeAccess.UNSAFE.setMemory(local, (long) PAGES * XenPage.SIZE, (byte) 1);
                    out().printf("grant copy, harness vs memcpy, %d segments per call, %.1f s per row%n",
                            batchSize, seconds);
                    out().printf("%-6s %-10s %12s %12s %10s %12s%n",
                            "size", "direction", "harness GB/s", "memcpy GB/s", "ratio", "Msegments/s");
                    for (int size : SIZES) {
                        for (boolean fromGuest : new boolean[] {true, false}) {
                            row(table, guest, refs, local, size, fromGuest);
                        }
                    }
                    out().flush();
                } finally {
                    UnsafeAccess.UNSAFE.freeMemory(local);
                }
            }
        }
        return 0;
    }

    private void row(GrantTable table, HarnessGuest guest, int[] refs, long local, int size, boolean fromGuest) {
        GrantCopyBatch batch = new GrantCopyBatch(batchSize);
        long[] src = new long[batchSize];
        long[] dst = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            long mine = local + (long) i * XenPage.SIZE;
            long theirs = guest.frameAddress(i);
            if (fromGuest) {
                batch.addFromGuest(GUEST, refs[i], 0, mine, size);
                src[i] = theirs;
                dst[i] = mine;
            } else {
                batch.addToGuest(mine, GUEST, refs[i], 0, size);
                src[i] = mine;
                dst[i] = theirs;
            }
        }
        long nanos = (long) (seconds * 1e9);
        measureCopy(table, batch, nanos / 5);
        double copyRate = measureCopy(table, batch, nanos);
        measureMemcpy(src, dst, size, nanos / 5);
        double memcpyRate = measureMemcpy(src, dst, size, nanos);
        double copyGbs = copyRate * size / 1e9;
        double memcpyGbs = memcpyRate * size / 1e9;
        out().printf("%-6d %-10s %12.2f %12.2f %9.1f%% %12.2f%n", size, fromGuest ? "from-guest" : "to-guest",
                copyGbs, memcpyGbs, 100 * copyGbs / memcpyGbs, copyRate / 1e6);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Segments per second through {@link GrantTable#copy}. */
    private static double measureCopy(GrantTable table, GrantCopyBatch batch, long nanos) {
        long segments = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                if (table.copy(batch) != 0) {
                    throw new IllegalStateException("grant copy failed: status " + batch.status(0));
                }
            }
            segments += 16L * batch.size();
            now = System.nanoTime();
        } while (now < end);
        return segments * 1e9 / (now - start);
    }

    /** Segments per second through a plain Unsafe.copyMemory of the same addresses. */
    private static double measureMemcpy(long[] src, long[] dst, int size, long nanos) {
        long segments = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int r = 0; r < 16; r++) {
                for (int i = 0; i < src.length; i++) {
                    UnsafeAccess.UNSAFE.copyMemory(src[i], dst[i], size);
                }
            }
            segments += 16L * src.length;
            now = System.nanoTime();
        } while (now < end);
        return segments * 1e9 / (now - start);
    }
}
