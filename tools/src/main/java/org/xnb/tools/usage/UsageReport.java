package org.xnb.tools.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dladm show-usage}'s two human forms (illumos {@code dladm.c}: {@code show_usage_res} and
 * {@code show_usage_time}, column widths from {@code usage_fields} and {@code usage_l_fields}).
 * Only link records count (flow records are for {@code flowadm show-usage}). Difference: dladm
 * cuts RBYTES/OBYTES at 7 characters in the per-link form (its buffers are 8 bytes); xnb prints
 * the whole number.
 */
public final class UsageReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private UsageReport() {
    }

    /** {@code dladm show-usage LINK}: one row per interval of that link. */
    public static String perLink(List<UsageRecord> records, String link, ZoneId zone) {
        OfmtTable t = new OfmtTable(13, 14, 14, 9, 9, 15).row("LINK", "START", "END", "RBYTES", "OBYTES", "BANDWIDTH");
        for (UsageRecord r : records) {
            if (r.isFlow() || !r.link().equals(link)) {
                continue;
            }
            t.row(r.link(), TIME.format(Instant.ofEpochMilli(r.startMillis()).atZone(zone)),
                    TIME.format(Instant.ofEpochMilli(r.endMillis()).atZone(zone)), Long.toUnsignedString(r.rbytes()),
                    Long.toUnsignedString(r.obytes()), bw2str(r.bandwidthBitsPerSecond()) + " Mbps");
        }
        return t.toString();
    }

    /** {@code dladm show-usage}: one summary row per link, in the order links first appear. */
    public static String summary(List<UsageRecord> records) {
        Map<String, long[]> sums = new LinkedHashMap<>(); // millis, ipkts, rbytes, opkts, obytes
        for (UsageRecord r : records) {
            if (r.isFlow()) {
                continue;
            }
            long[] s = sums.computeIfAbsent(r.link(), k -> new long[5]);
            s[0] += r.endMillis() - r.startMillis();
            s[1] += r.ipkts();
            s[2] += r.rbytes();
            s[3] += r.opkts();
            s[4] += r.obytes();
        }
        OfmtTable t = new OfmtTable(13, 11, 10, 11, 10, 11, 15)
                .row("LINK", "DURATION", "IPACKETS", "RBYTES", "OPACKETS", "OBYTES", "BANDWIDTH");
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            long[] s = e.getValue();
            long bw = s[0] == 0 ? 0 : (s[2] + s[4]) * 8L * 1000L / s[0];
            t.row(e.getKey(), Long.toString(s[0] / 1000), Long.toString(s[1]), Long.toString(s[2]), Long.toString(s[3]),
                    Long.toString(s[4]), bw2str(bw) + " Mbps");
        }
        return t.toString();
    }

    /** libdladm's {@code dladm_bw2str}: bits/s as Mbit/s, whole or with three decimals (kbit/s). */
    static String bw2str(long bitsPerSecond) {
        long kbps = (bitsPerSecond % 1_000_000) / 1000;
        long mbps = bitsPerSecond / 1_000_000;
        if (kbps != 0) {
            return mbps == 0 ? String.format("0.%03d", kbps) : String.format("%5d.%03d", mbps, kbps);
        }
        return String.format("%5d", mbps);
    }
}
