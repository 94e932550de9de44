package org.xnb.tools.daemon;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per log record on stderr (java.util.logging's default takes two), and Chronicle's
 * start-up chatter (timings, release notes, "leave your e-mail") kept out of the daemon's log.
 */
final class LogFormat {
    /** Held so the level stays: java.util.logging keeps loggers only weakly. */
    private static final Logger CHRONICLE = Logger.getLogger("net.openhft");

    private LogFormat() {
    }

    /** Before the first logger is made. */
    static void oneLine() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tL %4$s %5$s%6$s%n");
        }
        CHRONICLE.setLevel(Level.WARNING);
    }
}
