package org.xnb.netback.vif;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the formatted log lines of {@code org.xnb.netback} (System.Logger goes to
 * java.util.logging here) at WARNING and above, so a test can count the lines naming a rule.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("org.xnb.netback");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            Object[] p = r.getParameters();
            lines.add(p == null || p.length == 0 ? r.getMessage() : MessageFormat.format(r.getMessage(), p));
        }
    }

    /** Lines that contain every one of {@code parts}. */
    long count(String... parts) {
        return lines.stream().filter(l -> {
            for (String part : parts) {
                if (!l.contains(part)) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
