package org.xnb.vnic.tap;

import java.util.List;

/** What a finished (or timed-out) command left: exit code, output, error output. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** One line for errors: the command, how it ended, and its stderr. */
    public String describe() {
        String how = timedOut ? "timed out" : "exited " + exitCode;
        String err = stderr.strip();
        return String.join(" ", argv) + ": " + how + (err.isEmpty() ? "" : ": " + err);
    }
}
