package org.xnb.tools.xenstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The terminal's column count, which the C tool gets from {@code ioctl(TIOCGWINSZ)}. Java
 * has no such call: {@code $COLUMNS} is used when exported, else {@code stty size} on the
 * inherited terminal. Only asked when stdin and stdout are a terminal.
 */
final class TerminalWidth {
    private TerminalWidth() {
    }

    /** Columns, or -1 when unknown. */
    static int columns(Map<String, String> env) {
        String cols = env.get("COLUMNS");
        if (cols != null && cols.matches("\\d{1,5}")) {
            return Integer.parseInt(cols);
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            return p.exitValue() == 0 && rowsCols.length == 2 && rowsCols[1].matches("\\d{1,5}")
                    ? Integer.parseInt(rowsCols[1]) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
