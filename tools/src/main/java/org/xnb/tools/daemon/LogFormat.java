package org.xnb.tools.daemon;

/** One line per log record on stderr (java.util.logging's default takes two). */
final class LogFormat {
    private LogFormat() {
    }

    /** Before the first logger is made. */
    static void oneLine() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tL %4$s %5$s%6$s%n");
        }
    }
}
