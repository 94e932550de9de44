package org.xnb.tools;

import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine;

/**
 * Turns exceptions from a command into one clear line on stderr and an exit code, instead of a
 * stack trace. Xenstore errors print the error name the way Debian's tools do.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    /** Exit code for a failed operation (bad arguments use picocli's usage code, 2). */
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        String name = cmd.getCommandName();
        if (ex instanceof XenstoreException xe) {
            cmd.getErr().println(name + ": " + xe.getMessage());
        } else if (ex instanceof IllegalArgumentException) {
            cmd.getErr().println(name + ": " + ex.getMessage());
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        } else {
            cmd.getErr().println(name + ": " + ex);
            if (System.getenv("XNB_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
        }
        return FAILED;
    }
}
