package org.xnb.tools.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal survives its writer being killed: a child JVM appends records every 20 ms and is
 * killed with SIGKILL; every record it reported as appended is read back intact, intervals
 * contiguous; and a new appender (the restarted daemon) carries on in the same journal.
 */
class UsageJournalCrashIT {
    @TempDir
    Path dir;

    @Test
    void recordsUpToTheLastCompletedIntervalSurviveSigkill() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(UsageAppenderChild.class.getName());
        cmd.add(dir.toString());
        cmd.add("20");
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long reported = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (reported < 40 && (line = r.readLine()) != null) {
                if (line.startsWith("appended ")) {
                    reported = Long.parseLong(line.substring(9));
                }
            }
            assertTrue(reported >= 40, "the child stopped early");
            // SIGKILL while it keeps appending: no shutdown hook, no close, no flush
            ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }

        List<UsageRecord> all;
        try (UsageJournal j = UsageJournal.openForRead(dir)) {
            all = j.readAll();
        }
        assertTrue(all.size() >= reported, all.size() + " records read, " + reported + " reported appended");
        long prevLinkEnd = -1;
        long prevFlowEnd = -1;
        for (UsageRecord u : all) {
            assertEquals("web0", u.link());
            if (u.isFlow()) {
                assertEquals(new UsageRecord("web0", "http", u.startMillis(), u.endMillis(), 100, 0, 1, 0, 0), u);
                assertTrue(prevFlowEnd < 0 || prevFlowEnd == u.startMillis(), "flow intervals contiguous");
                prevFlowEnd = u.endMillis();
            } else {
                assertEquals(new UsageRecord("web0", "", u.startMillis(), u.endMillis(), 1000, 2000, 1, 2, 0), u);
                assertTrue(prevLinkEnd < 0 || prevLinkEnd == u.startMillis(), "link intervals contiguous");
                prevLinkEnd = u.endMillis();
            }
        }

        // the restarted daemon appends to the same journal
        UsageRecord next = new UsageRecord("web0", "", prevLinkEnd, prevLinkEnd + 20, 1, 2, 3, 4, 5);
        try (UsageJournal j = UsageJournal.openForAppend(dir)) {
            j.append(next);
        }
        try (UsageJournal j = UsageJournal.openForRead(dir)) {
            List<UsageRecord> after = j.readAll();
            assertEquals(all, after.subList(0, all.size()));
            assertEquals(next, after.get(after.size() - 1));
        }
    }
}
