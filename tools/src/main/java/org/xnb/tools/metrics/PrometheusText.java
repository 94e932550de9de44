package org.xnb.tools.metrics;

import java.util.Map;

/**
 * The Prometheus text exposition format, version 0.0.4: per family a {@code # HELP} and a
 * {@code # TYPE} line, then one {@code name{label="value",...} number} line per series. In label
 * values backslash, double quote and line feed are escaped ({@code \\ \" \n}); in help text
 * backslash and line feed.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String render(MetricsRegistry registry) {
        StringBuilder sb = new StringBuilder(4096);
        for (MetricsRegistry.Family f : registry.snapshot()) {
            sb.append("# HELP ").append(f.name()).append(' ');
            escape(f.help(), false, sb);
            sb.append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type().token()).append('\n');
            for (MetricsRegistry.Series s : f.series()) {
                sb.append(f.name());
                if (!s.labels().isEmpty()) {
                    sb.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> l : s.labels().entrySet()) {
                        if (!first) {
                            sb.append(',');
                        }
                        first = false;
                        sb.append(l.getKey()).append("=\"");
                        escape(l.getValue(), true, sb);
                        sb.append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(s.value().getAsLong()).append('\n');
            }
        }
        return sb.toString();
    }

    static void escape(String s, boolean quote, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append(quote ? "\\\"" : "\"");
                default -> sb.append(c);
            }
        }
    }
}
