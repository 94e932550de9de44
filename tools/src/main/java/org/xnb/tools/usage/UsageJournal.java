package org.xnb.tools.usage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

/**
 * The usage journal: a Chronicle Queue in a directory, one excerpt per {@link UsageRecord}
 * (a format byte, link, flow, then seven longs). Chronicle writes through a memory-mapped file, so
 * an excerpt is in the page cache as soon as {@link #append} returns and survives the process
 * being killed; an excerpt being written when the process died is never returned to a reader.
 * One appender per journal (the recorder thread); readers may run in other processes.
 */
public final class UsageJournal implements AutoCloseable {
    static final byte FORMAT = 1;

    static {
        // Chronicle may report usage to its vendor unless told not to: never from a dom0 daemon
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;

    private UsageJournal(ChronicleQueue queue, boolean write) {
        this.queue = queue;
        this.appender = write ? queue.createAppender() : null;
    }

    /** Opens (creating) the journal for appending. */
    public static UsageJournal openForAppend(Path dir) {
        return new UsageJournal(builder(dir).build(), true);
    }

    /** Opens an existing journal for reading only. */
    public static UsageJournal openForRead(Path dir) {
        if (!dir.toFile().isDirectory()) {
            throw new IllegalArgumentException("no usage journal at " + dir);
        }
        return new UsageJournal(builder(dir).readOnly(true).build(), false);
    }

    private static SingleChronicleQueueBuilder builder(Path dir) {
        // daily files, like dladm's usage log rotated by an operator; timeout: how long an appender
        // waits for an excerpt a dead writer left unfinished before taking it over
        return SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(LegacyRollCycles.DAILY).timeoutMS(2_000);
    }

    public void append(UsageRecord r) {
        appender.writeBytes(b -> b.writeByte(FORMAT).writeUtf8(r.link()).writeUtf8(r.flow())
                .writeLong(r.startMillis()).writeLong(r.endMillis()).writeLong(r.rbytes()).writeLong(r.obytes())
                .writeLong(r.ipkts()).writeLong(r.opkts()).writeLong(r.drops()));
    }

    /** Every complete record from the start of the journal that {@code filter} accepts, in order. */
    public List<UsageRecord> read(Predicate<UsageRecord> filter) {
        List<UsageRecord> out = new ArrayList<>();
        try (ExcerptTailer t = queue.createTailer()) {
            UsageRecord[] last = new UsageRecord[1];
            while (t.readBytes(b -> {
                byte format = b.readByte();
                if (format != FORMAT) {
                    throw new IllegalStateException("usage journal " + queue.file() + " holds format " + format
                            + "; this xnb reads " + FORMAT);
                }
                last[0] = new UsageRecord(b.readUtf8(), b.readUtf8(), b.readLong(), b.readLong(), b.readLong(),
                        b.readLong(), b.readLong(), b.readLong(), b.readLong());
            })) {
                if (filter.test(last[0])) {
                    out.add(last[0]);
                }
            }
        }
        return out;
    }

    public List<UsageRecord> readAll() {
        return read(r -> true);
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }
}
