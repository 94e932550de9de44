package org.xnb.tools.dlstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.stat.LaneCounter;
import picocli.CommandLine;

/**
 * {@code xnb dlstat} on a counters file written here as lanes write it (the vif end-to-end case,
 * a file made by a running daemon, is in DaemonIT): totals, parseable lines, intervals with rates.
 */
class DlstatCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int xnb(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void totalsAsATableAndAsParseableLines() {
        Path file = dir.resolve("counters");
        try (CountersFile counters = CountersFile.create(file, 4 * LaneCounter.count());
                LaneCounters a = LaneCounters.allocate(counters, 1, 0, "vif5.0");
                LaneCounters b = LaneCounters.allocate(counters, 2, 0, "vif6.0")) {
            a.in(10, 1000);
            a.out(7, 700);
            a.drop(2);
            b.in(3, 180);
            assertEquals(0, xnb("dlstat", "-f", file.toString(), "-p"), err.toString());
            String[] lines = out.toString().strip().split("\\R");
            assertEquals(2, lines.length, out.toString());
            assertEquals("vif5.0:0:10:1000:7:700:0:0:2:0:0:0:0:interrupt", lines[0]);
            assertEquals("vif6.0:0:3:180:0:0:0:0:0:0:0:0:0:interrupt", lines[1]);

            out.getBuffer().setLength(0);
            assertEquals(0, xnb("dlstat", "-f", file.toString()), err.toString());
            String table = out.toString();
            assertTrue(table.startsWith(String.format("%-16s %5s %12s %12s %12s %12s", "LINK", "INDEX", "IPKTS", "RBYTES",
                    "OPKTS", "OBYTES")), table);
            assertTrue(table.contains(String.format("%-16s %5d %12d %12d %12d %12d", "vif5.0", 0, 10, 1000, 7, 700)),
                    table);
        }
    }

    @Test
    void anIntervalPrintsWhatChangedAndTheRate() throws Exception {
        Path file = dir.resolve("counters");
        try (CountersFile counters = CountersFile.create(file, 2 * LaneCounter.count());
                LaneCounters a = LaneCounters.allocate(counters, 1, 0, "vif5.0")) {
            a.in(100, 50_000);
            Thread writer = new Thread(() -> {
                try {
                    // mid-interval: dlstat's first sample is taken well before, even on a loaded host
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                a.in(5, 125_000); // 1 Mbit during the 2 s interval
            });
            writer.start();
            assertEquals(0, xnb("dlstat", "-f", file.toString(), "-i", "2", "-c", "1", "-p"), err.toString());
            writer.join();
            String[] f = out.toString().strip().split(":");
            assertEquals("vif5.0", f[0]);
            assertEquals(5, Long.parseLong(f[2]), out.toString());
            assertEquals(125_000, Long.parseLong(f[3]), out.toString());
            long ibps = Long.parseLong(f[13]);
            assertTrue(ibps > 400_000 && ibps <= 500_000, "IBPS " + ibps);
            assertEquals("0", f[14]);
        }
    }

    @Test
    void aMissingFileSaysSoAndExitsOne() {
        assertEquals(1, xnb("dlstat", "-f", dir.resolve("none").toString()));
        assertTrue(err.toString().contains("is the backend running?"), err.toString());
    }

    @Test
    void aCountWithoutAnIntervalIsRefused() {
        assertEquals(2, xnb("dlstat", "-f", dir.resolve("none").toString(), "-c", "2"));
        assertTrue(err.toString().contains("-c needs -i"), err.toString());
    }
}
