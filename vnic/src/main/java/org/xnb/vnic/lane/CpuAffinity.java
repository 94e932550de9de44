package org.xnb.vnic.lane;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.Arrays;
import org.xnb.vnic.os.LibC;

/**
 * dladm's {@code cpus} property for lane threads: {@code sched_setaffinity(2)} /
 * {@code sched_getaffinity(2)} on a thread (pid 0 = the calling thread). Control path: the mask
 * buffer is allocated per call. Masks cover CPUs 0..1023 ({@code CPU_SETSIZE}).
 */
public final class CpuAffinity {
    public static final int MAX_CPUS = 1024;
    private static final int MASK_BYTES = MAX_CPUS / 8;

    private CpuAffinity() {
    }

    /**
     * Pins the calling thread to {@code cpus}.
     *
     * @throws IllegalArgumentException for an empty list or a CPU out of range, or when the kernel
     *                                  refuses (EINVAL: none of the CPUs is online or allowed)
     */
    public static void pinCurrentThread(int... cpus) {
        pin(0, cpus);
    }

    /** Pins thread {@code tid} (see {@link #currentTid()}). */
    public static void pin(int tid, int... cpus) {
        if (cpus.length == 0) {
            throw new IllegalArgumentException("cpus: empty list");
        }
        Memory mask = new Memory(MASK_BYTES);
        mask.clear();
        for (int cpu : cpus) {
            if (cpu < 0 || cpu >= MAX_CPUS) {
                throw new IllegalArgumentException("cpu " + cpu + " is not in 0.." + (MAX_CPUS - 1));
            }
            long at = cpu / 8;
            mask.setByte(at, (byte) (mask.getByte(at) | 1 << (cpu % 8)));
        }
        if (LibC.sched_setaffinity(tid, MASK_BYTES, Pointer.nativeValue(mask)) != 0) {
            int errno = LibC.errno();
            throw new IllegalArgumentException("sched_setaffinity(" + Arrays.toString(cpus) + "): errno " + errno
                    + (errno == LibC.EINVAL ? " (none of these CPUs is online or allowed; see nproc)" : ""));
        }
    }

    /** The CPUs the calling thread may run on, ascending. */
    public static int[] currentThreadCpus() {
        return cpusOf(0);
    }

    /** The CPUs thread {@code tid} may run on, ascending. */
    public static int[] cpusOf(int tid) {
        Memory mask = new Memory(MASK_BYTES);
        mask.clear();
        if (LibC.sched_getaffinity(tid, MASK_BYTES, Pointer.nativeValue(mask)) < 0) {
            throw new IllegalStateException("sched_getaffinity(" + tid + "): errno " + LibC.errno());
        }
        int[] out = new int[MAX_CPUS];
        int n = 0;
        for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
            if ((mask.getByte(cpu / 8) >> (cpu % 8) & 1) != 0) {
                out[n++] = cpu;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The calling thread's kernel thread id (what {@code /proc/self/task/} lists). */
    public static int currentTid() {
        return LibC.gettid();
    }
}
