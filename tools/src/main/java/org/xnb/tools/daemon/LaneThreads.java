package org.xnb.tools.daemon;

import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.ThreadingMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --threads}: how the vifs' lanes get threads. {@code dedicated} (a thread per vif) or
 * {@code shared:N} (N threads, each new vif to the least loaded).
 */
public record LaneThreads(ThreadingMode mode, int threads) {
    public static final String USAGE = "dedicated (a thread per vif, the default) or shared:N (N threads for all vifs)";
    public static final LaneThreads DEDICATED = new LaneThreads(ThreadingMode.DEDICATED, 0);

    /** Picocli's converter for the option. */
    public static final class Converter implements ITypeConverter<LaneThreads> {
        @Override
        public LaneThreads convert(String value) {
            return parse(value);
        }
    }

    public static LaneThreads parse(String value) {
        if (value.equals("dedicated")) {
            return DEDICATED;
        }
        if (value.startsWith("shared:")) {
            try {
                int n = Integer.parseInt(value.substring("shared:".length()));
                if (n >= 1 && n <= 256) {
                    return new LaneThreads(ThreadingMode.SHARED, n);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new TypeConversionException("'" + value + "' is not " + USAGE + " (N in 1..256)");
    }

    @Override
    public String toString() {
        return mode == ThreadingMode.SHARED ? "shared:" + threads : "dedicated";
    }

    /** Lanes of {@link LaneScheduler#MAX_SHARED_LANES} vifs at most. */
    public static int countersCapacity() {
        return 1024 * org.xnb.vnic.stat.LaneCounter.count();
    }
}
