package org.xnb.tools.admin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the admin commands share: {@code --admin-socket PATH} (see {@link AdminSocketPath}), one
 * request to the daemon, its error as one line on stderr with exit 1. Bad arguments are picocli's
 * usage errors (exit 2) naming what was wrong and what is allowed.
 */
abstract class AdminCommand implements Callable<Integer> {
    static final int FAILED = 1;

    @Option(names = "--admin-socket", paramLabel = "PATH",
            description = "The daemon's admin socket (default: $" + AdminSocketPath.ENV + ", else "
                    + AdminSocketPath.DEFAULT + ", else " + AdminSocketPath.HARNESS_DEFAULT + " when only it exists).")
    Path adminSocket;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Environment, replaceable by tests. */
    Map<String, String> env = System.getenv();

    abstract Integer run();

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (AdminUnavailableException e) {
            return fail(e.getMessage());
        }
    }

    /** Sends {@code request}; null (after printing the error) when the daemon refused it. */
    List<Map<String, String>> ask(AdminRequest request) {
        AdminResponse r = AdminClient.call(AdminSocketPath.resolve(adminSocket, env), request);
        if (!r.ok()) {
            fail(r.error());
            return null;
        }
        return r.rows();
    }

    int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("xnb " + spec.name() + ": " + message);
        err.flush();
        return FAILED;
    }

    void print(String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
    }

    /** {@code -p} needs {@code -o} (dladm's rule: a script names the fields it reads). */
    void checkParseable(boolean parseable, String fields, List<String> allowed) {
        if (parseable && fields == null) {
            throw new IllegalArgumentException("-p needs -o FIELD[,FIELD...]; fields: " + String.join(",", allowed));
        }
    }
}
