package org.xnb.tools.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {
    static final long T0 = 1_764_576_000_000L; // 2025-12-01T08:00:00Z

    @Test
    void bw2strIsLibdladms() {
        // the table in libdladm's dladm_bw2str comment
        assertEquals("    0", UsageReport.bw2str(0));
        assertEquals("    0", UsageReport.bw2str(100));
        assertEquals("0.002", UsageReport.bw2str(2000));
        assertEquals("0.431", UsageReport.bw2str(431000));
        assertEquals("    1", UsageReport.bw2str(1000000));
        assertEquals("    1.030", UsageReport.bw2str(1030000));
        assertEquals("  100", UsageReport.bw2str(100000000));
    }

    @Test
    void perLinkFormIsDladmShowUsageLink() {
        List<UsageRecord> r = List.of(
                new UsageRecord("web0", "", T0, T0 + 10_000, 1_250_000, 0, 900, 0, 0),
                new UsageRecord("web0", "http", T0, T0 + 10_000, 1_000, 0, 9, 0, 0), // a flow: not shown
                new UsageRecord("db0", "", T0, T0 + 10_000, 5, 5, 1, 1, 0), // another link: not shown
                new UsageRecord("web0", "", T0 + 10_000, T0 + 20_000, 12_345_678_901L, 0, 1, 0, 0));
        String expected = ""
                + "LINK         START         END           RBYTES   OBYTES   BANDWIDTH\n"
                + "web0         08:00:00      08:00:10      1250000  0            1 Mbps\n"
                // 11-digit RBYTES overflows its 9 columns; the overflow is taken from OBYTES' padding (libofmt)
                + "web0         08:00:10      08:00:20      12345678901 0      9876.543 Mbps\n";
        assertEquals(expected, UsageReport.perLink(r, "web0", ZoneOffset.UTC));
    }

    @Test
    void summaryFormAddsUpEachLink() {
        List<UsageRecord> r = List.of(
                new UsageRecord("web0", "", T0, T0 + 10_000, 1_000_000, 250_000, 700, 300, 1),
                new UsageRecord("db0", "", T0, T0 + 10_000, 0, 0, 0, 0, 0),
                new UsageRecord("web0", "http", T0, T0 + 10_000, 1, 1, 1, 1, 0),
                new UsageRecord("web0", "", T0 + 10_000, T0 + 20_000, 1_000_000, 250_000, 700, 300, 0));
        String expected = ""
                + "LINK         DURATION   IPACKETS  RBYTES     OPACKETS  OBYTES     BANDWIDTH\n"
                + "web0         20         1400      2000000    600       500000         1 Mbps\n"
                + "db0          10         0         0          0         0              0 Mbps\n";
        assertEquals(expected, UsageReport.summary(r));
    }

    @Test
    void emptyJournalPrintsTheHeaderOnly() {
        assertEquals("LINK         START         END           RBYTES   OBYTES   BANDWIDTH\n",
                UsageReport.perLink(List.of(), "web0", ZoneOffset.UTC));
    }
}
