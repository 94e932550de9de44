package org.xnb.tools.bench;

/**
 * One measured row of {@code xnb bench netback}: what guest B's Rx engine delivered during the
 * measuring window, and the CPU time the threads spent meanwhile.
 *
 * @param threads      which threading this row used (printed as is)
 * @param frame        the frame's name
 * @param packets      frames delivered into guest B's buffers
 * @param bytes        their bytes
 * @param nanos        length of the window
 * @param cpuNanos     CPU time of every thread involved (guests and backend)
 * @param backendNanos CPU time of the backend thread alone, or -1 when it shares its thread
 * @param drops        frames dropped by either engine over the whole run (warm-up included)
 * @param intact       whether one frame sent after the window reached guest B byte for byte
 */
record NetbackRow(String threads, String frame, long packets, long bytes, long nanos, long cpuNanos,
        long backendNanos, long drops, boolean intact) {

    NetbackRow withIntact(boolean value) {
        return new NetbackRow(threads, frame, packets, bytes, nanos, cpuNanos, backendNanos, drops, value);
    }

    double mpps() {
        return packets * 1e3 / nanos;
    }

    double gbitPerSecond() {
        return bytes * 8.0 / nanos;
    }

    /** CPU seconds per million packets. */
    static double cpuPerMillion(long cpu, long packets) {
        return packets == 0 ? Double.NaN : cpu / 1e3 / packets;
    }
}
