package org.xnb.vnic.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters file: a writer's updates seen by a separate read-only reader of the same file. */
class CountersFileTest {
    @TempDir
    Path dir;

    private static AtomicCounter[] allocateLane(CountersFile f, int laneId, int index, String link) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[LaneKey.MAX_LENGTH]);
        int len = LaneKey.write(key, laneId, index, 0, link);
        AtomicCounter[] all = new AtomicCounter[LaneCounter.count()];
        for (LaneCounter c : LaneCounter.values()) {
            all[c.ordinal()] = f.allocate(c.typeId(), key, len, link + "/" + index + " " + c.column());
        }
        return all;
    }

    @Test
    void aReaderSeesEachLanesCountersWhileTheWriterUpdatesThem() {
        Path p = dir.resolve("run/xnb/counters");
        try (CountersFile w = CountersFile.create(p, 256)) {
            AtomicCounter[] a = allocateLane(w, 1, 0, "vif3.0");
            AtomicCounter[] b = allocateLane(w, 2, 1, "vif3.0");
            AtomicCounter[] c = allocateLane(w, 3, 0, "guest1");
            try (CountersFileReader r = CountersFileReader.open(p)) {
                assertEquals(ProcessHandle.current().pid(), r.pid());
                List<LaneStats> lanes = r.lanes();
                assertEquals(3, lanes.size());
                assertEquals("guest1", lanes.get(0).link());
                assertEquals("vif3.0", lanes.get(1).link());
                assertEquals(0, lanes.get(1).index());
                assertEquals(1, lanes.get(2).index());
                a[LaneCounter.IPKTS.ordinal()].getAndAddOrdered(10);
                a[LaneCounter.RBYTES.ordinal()].getAndAddOrdered(15_000);
                b[LaneCounter.POLLS.ordinal()].getAndAddOrdered(77);
                b[LaneCounter.MODE.ordinal()].setOrdered(1);
                c[LaneCounter.SDROPS.ordinal()].incrementOrdered();
                lanes = r.lanes(); // same mapping, new values: nothing asked of the writer
                assertEquals(1, lanes.get(0).get(LaneCounter.SDROPS));
                assertEquals(10, lanes.get(1).get(LaneCounter.IPKTS));
                assertEquals(15_000, lanes.get(1).get(LaneCounter.RBYTES));
                assertEquals(0, lanes.get(1).get(LaneCounter.POLLS));
                assertEquals(77, lanes.get(2).get(LaneCounter.POLLS));
                assertEquals("poll", lanes.get(2).mode());
                assertEquals("interrupt", lanes.get(1).mode());
                String table = CountersFileReader.format(lanes);
                assertTrue(table.contains("IPKTS"), table);
                assertTrue(table.lines().anyMatch(l -> l.startsWith("vif3.0") && l.contains(" 10 ") && l.contains("15000")),
                        table);
                for (AtomicCounter x : b) {
                    w.free(x);
                }
                assertEquals(2, r.lanes().size(), "a freed lane disappears");
            }
        }
        // the file outlives the writer: a post-mortem read still works
        try (CountersFileReader r = CountersFileReader.open(p)) {
            assertEquals(2, r.lanes().size());
        }
    }

    @Test
    void theWriterKeepsCountingIntoTheSlotsTheReaderFound() throws Exception {
        Path p = dir.resolve("counters");
        try (CountersFile w = CountersFile.create(p, 64); CountersFileReader r = CountersFileReader.open(p)) {
            AtomicCounter[] a = allocateLane(w, 7, 0, "vnic7");
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    a[LaneCounter.IPKTS.ordinal()].incrementOrdered();
                }
            });
            writer.start();
            long last = 0;
            while (writer.isAlive()) {
                long v = r.lanes().get(0).get(LaneCounter.IPKTS);
                assertTrue(v >= last, "a single writer's counter never goes back");
                last = v;
            }
            writer.join();
            assertEquals(100_000, r.lanes().get(0).get(LaneCounter.IPKTS));
        }
    }

    @Test
    void anotherProcessPrintsTheLaneTables() throws Exception {
        Path p = dir.resolve("counters");
        try (CountersFile w = CountersFile.create(p, 64)) {
            AtomicCounter[] a = allocateLane(w, 1, 2, "guest7");
            a[LaneCounter.IPKTS.ordinal()].getAndAddOrdered(4242);
            a[LaneCounter.CH_GT50.ordinal()].getAndAddOrdered(9);
            a[LaneCounter.MODE.ordinal()].setOrdered(1);
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                    CountersFileReader.class.getName(), p.toString()).redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, child.waitFor(), out);
            String rx = out.lines().filter(l -> l.startsWith("guest7") && l.contains(" rx ")).findFirst().orElseThrow();
            String[] f = rx.trim().split("\\s+");
            assertEquals(List.of("guest7", "rx", "2", "poll", "4242", "0", "0", "0", "0", "0", "0", "9"), List.of(f), out);
        }
    }

    @Test
    void aFullFileRefusesMoreCounters() {
        try (CountersFile w = CountersFile.inMemory(LaneCounter.count())) {
            allocateLane(w, 1, 0, "a");
            assertThrows(IllegalStateException.class, () -> allocateLane(w, 2, 0, "b"));
        }
    }

    @Test
    void aReaderRefusesWhatIsNotACountersFile() throws Exception {
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[4096]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CountersFileReader.open(junk));
        assertTrue(e.getMessage().contains("not an xnb counters file"), e.getMessage());
        Path small = dir.resolve("small");
        Files.write(small, new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> CountersFileReader.open(small));
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> CountersFileReader.open(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("is the backend running?"));
    }

    @Test
    void lengthsThatDoNotFitTheFileAreRefused() throws Exception {
        Path p = dir.resolve("counters");
        try (CountersFile w = CountersFile.create(p, 16)) {
            assertEquals(16, w.capacity());
        }
        byte[] bytes = Files.readAllBytes(p);
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        b.putInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET, 1 << 20);
        b.putInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET, 4 << 20);
        Files.write(p, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CountersFileReader.open(p));
        assertTrue(e.getMessage().contains("inconsistent lengths"), e.getMessage());
    }
}
