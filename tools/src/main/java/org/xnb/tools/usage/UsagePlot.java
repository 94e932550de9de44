package org.xnb.tools.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code show-usage --plot FILE.svg}: bandwidth (Mbit/s) over time, one line per link, drawn as a
 * plain SVG document (axes, five ticks each way, a legend). Each interval is a point at its end
 * time, as dladm's gnuplot output puts it.
 */
public final class UsagePlot {
    static final int WIDTH = 800;
    static final int HEIGHT = 400;
    static final int LEFT = 70;
    static final int RIGHT = 150;
    static final int TOP = 30;
    static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private UsagePlot() {
    }

    public static String svg(List<UsageRecord> records, ZoneId zone) {
        Map<String, List<UsageRecord>> byLink = new LinkedHashMap<>();
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        double maxMbps = 0;
        for (UsageRecord r : records) {
            if (r.isFlow()) {
                continue;
            }
            byLink.computeIfAbsent(r.link(), k -> new ArrayList<>()).add(r);
            t0 = Math.min(t0, r.startMillis());
            t1 = Math.max(t1, r.endMillis());
            maxMbps = Math.max(maxMbps, r.bandwidthBitsPerSecond() / 1e6);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n");
        sb.append("<title>xnb show-usage: bandwidth over time</title>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        sb.append("<g font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + plotH,
                LEFT + plotW, TOP + plotH));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT,
                TOP + plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time</text>%n", LEFT + plotW / 2,
                HEIGHT - 8));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">Mbit/s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2));
        if (byLink.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no usage records</text>%n",
                    LEFT + plotW / 2, TOP + plotH / 2));
            return sb.append("</g>\n</svg>\n").toString();
        }
        double yMax = maxMbps <= 0 ? 1 : maxMbps * 1.1;
        long span = Math.max(1, t1 - t0);
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", LEFT - 4, y + 4,
                    yMax * i / 4));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y,
                    LEFT + plotW, y));
            double x = LEFT + plotW * i / 4.0;
            long t = t0 + span * i / 4;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    TOP + plotH + 16, TIME.format(Instant.ofEpochMilli(t).atZone(zone))));
        }
        int n = 0;
        for (Map.Entry<String, List<UsageRecord>> e : byLink.entrySet()) {
            String colour = COLOURS[n % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (UsageRecord r : e.getValue()) {
                double x = LEFT + plotW * (double) (r.endMillis() - t0) / span;
                double y = TOP + plotH - plotH * (r.bandwidthBitsPerSecond() / 1e6) / yMax;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("<polyline class=\"link\" data-link=\"").append(escape(e.getKey())).append("\" fill=\"none\" stroke=\"")
                    .append(colour).append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"/>\n");
            int ly = TOP + 10 + 18 * n;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>%n",
                    LEFT + plotW + 12, ly - 4, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 30, ly,
                    escape(e.getKey())));
            n++;
        }
        return sb.append("</g>\n</svg>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
