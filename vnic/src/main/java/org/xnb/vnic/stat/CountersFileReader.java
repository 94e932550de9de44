package org.xnb.vnic.stat;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * A tool's side of the counters file: maps it read-only (from any process) and reads the lanes'
 * counters without asking the backend. The file is checked before use (magic, version, lengths
 * against its size), never trusted. {@code main} prints dlstat-style lane tables:
 * {@code java -cp vnic.jar org.xnb.vnic.stat.CountersFileReader /run/xnb/counters}.
 */
public final class CountersFileReader implements AutoCloseable {
    private final Path path;
    private final MappedByteBuffer mapped;
    private final CountersReader reader;
    private final int pid;
    private final long startTimeMs;

    private CountersFileReader(Path path, MappedByteBuffer mapped) {
        this.path = path;
        this.mapped = mapped;
        UnsafeBuffer whole = new UnsafeBuffer(mapped);
        long size = mapped.capacity();
        if (size < CountersFileDescriptor.HEADER_LENGTH) {
            throw new IllegalArgumentException(path + ": " + size + " bytes is too short for a counters file");
        }
        long magic = whole.getLong(CountersFileDescriptor.MAGIC_OFFSET);
        int version = whole.getIntVolatile(CountersFileDescriptor.VERSION_OFFSET);
        if (magic != CountersFileDescriptor.MAGIC) {
            throw new IllegalArgumentException(path + ": not an xnb counters file (magic 0x" + Long.toHexString(magic) + ")");
        }
        if (version != CountersFileDescriptor.VERSION) {
            throw new IllegalArgumentException(path + ": counters file version " + version + ", this reader knows "
                    + CountersFileDescriptor.VERSION);
        }
        int meta = whole.getInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET);
        int values = whole.getInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET);
        if (values <= 0 || values % CountersReader.COUNTER_LENGTH != 0
                || (long) meta != (long) values / CountersReader.COUNTER_LENGTH * CountersReader.METADATA_LENGTH
                || CountersFileDescriptor.HEADER_LENGTH + (long) meta + values > size) {
            throw new IllegalArgumentException(path + ": inconsistent lengths (metadata " + meta + ", values " + values
                    + ", file " + size + ")");
        }
        this.pid = whole.getInt(CountersFileDescriptor.PID_OFFSET);
        this.startTimeMs = whole.getLong(CountersFileDescriptor.START_TIME_OFFSET);
        this.reader = new CountersReader(new UnsafeBuffer(whole, CountersFileDescriptor.HEADER_LENGTH, meta),
                new UnsafeBuffer(whole, CountersFileDescriptor.HEADER_LENGTH + meta, values), StandardCharsets.US_ASCII);
    }

    /**
     * Maps {@code path} read-only.
     *
     * @throws UncheckedIOException when it cannot be opened (no backend ran, or not readable)
     * @throws IllegalArgumentException when it is not a counters file this reader understands
     */
    public static CountersFileReader open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new CountersFileReader(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("counters file " + path + ": " + e + " (is the backend running?)", e);
        }
    }

    /** Every lane in the file, sorted by link then lane index. */
    public List<LaneStats> lanes() {
        Map<Integer, LaneStats> byId = new LinkedHashMap<>();
        reader.forEach((CountersReader.MetaData) (counterId, typeId, key, label) -> {
            LaneCounter c = LaneCounter.ofTypeId(typeId);
            if (c == null) {
                return;
            }
            int laneId = LaneKey.laneId(key);
            LaneStats s = byId.computeIfAbsent(laneId,
                    id -> new LaneStats(id, LaneKey.link(key), LaneKey.index(key), new long[LaneCounter.count()]));
            s.values()[c.ordinal()] = reader.getCounterValue(counterId);
        });
        List<LaneStats> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(LaneStats::link).thenComparingInt(LaneStats::index));
        return out;
    }

    public CountersReader counters() {
        return reader;
    }

    /** The writer's process id. */
    public int pid() {
        return pid;
    }

    public long startTimeMs() {
        return startTimeMs;
    }

    public Path path() {
        return path;
    }

    /** dlstat's RX and TX lane tables for {@code lanes}. */
    public static String format(List<LaneStats> lanes) {
        StringBuilder b = new StringBuilder();
        String rx = "%-16s %-5s %5s %-9s %12s %14s %12s %12s %8s %10s %10s %10s%n";
        b.append(String.format(rx, "LINK", "TYPE", "INDEX", "MODE", "IPKTS", "RBYTES", "INTRS", "POLLS", "SDROPS",
                "CH<10", "CH10-50", "CH>50"));
        for (LaneStats s : lanes) {
            b.append(String.format(rx, s.link(), "rx", s.index(), s.mode(), s.get(LaneCounter.IPKTS),
                    s.get(LaneCounter.RBYTES), s.get(LaneCounter.INTRS), s.get(LaneCounter.POLLS),
                    s.get(LaneCounter.SDROPS), s.get(LaneCounter.CH_LT10), s.get(LaneCounter.CH_10_50),
                    s.get(LaneCounter.CH_GT50)));
        }
        b.append(System.lineSeparator());
        String tx = "%-16s %-5s %5s %12s %14s %10s %10s %10s %10s %10s%n";
        b.append(String.format(tx, "LINK", "TYPE", "INDEX", "OPKTS", "OBYTES", "BLKCNT", "UBLKCNT", "TOPOLL", "TOINTR",
                "THROTTLED"));
        for (LaneStats s : lanes) {
            b.append(String.format(tx, s.link(), "tx", s.index(), s.get(LaneCounter.OPKTS), s.get(LaneCounter.OBYTES),
                    s.get(LaneCounter.BLKCNT), s.get(LaneCounter.UBLKCNT), s.get(LaneCounter.TOPOLL),
                    s.get(LaneCounter.TOINTR), s.get(LaneCounter.THROTTLED)));
        }
        return b.toString();
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }

    /** Prints the lane tables of the counters file named by the first argument. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length != 1) {
            System.err.println("usage: CountersFileReader COUNTERS_FILE   (e.g. /run/xnb/counters)");
            System.exit(2);
        }
        try (CountersFileReader r = open(Path.of(args[0]))) {
            out.print(format(r.lanes()));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
