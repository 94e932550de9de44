package org.xnb.tools.xenstore;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb xenstore ...}: Debian's xenstore-* tools (Xen 4.17 xenstore_client.c) with the
 * same output, messages and exit codes, on xnb's client. Connects like libxenstore's
 * {@code xs_open()}: {@code $XENSTORED_PATH}, else the xenstored socket, else
 * {@code /dev/xen/xenbus}.
 */
@Command(name = "xenstore", mixinStandardHelpOptions = true,
        description = "Read and change xenstore like Debian's xenstore-* tools.",
        subcommands = {XsRead.class, XsWrite.class, XsLs.class, XsList.class, XsRm.class, XsMkdir.class,
                XsChmod.class, XsWatchCmd.class, XsExists.class},
        footer = {"", "Examples:", "  bin/xnb xenstore ls -p /local/domain/0",
                "  XENSTORED_PATH=/tmp/xs.sock bin/xnb xenstore write /a/b hello"})
public final class XenstoreCommand implements Runnable {
    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Used by {@code bin/xnb}: the process environment and standard streams. */
    public XenstoreCommand() {
        this(System.getenv(), System.out, System.err);
    }

    /** For tests: where to connect (via XENSTORED_PATH) and where output goes. */
    public XenstoreCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a mode is required: read, write, ls, list, rm, mkdir, chmod, watch or exists");
    }

    /** A command line whose usage errors exit 1, as errx(1, "Usage: ...") does. */
    public static CommandLine commandLine(XenstoreCommand cmd) {
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new java.io.PrintWriter(cmd.out, true));
        cl.setErr(new java.io.PrintWriter(cmd.err, true));
        return cl;
    }
}
