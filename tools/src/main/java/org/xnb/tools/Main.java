package org.xnb.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/xnb}: one executable for the daemon, the admin commands, the harness and the
 * benchmarks. Subcommands live in their own classes and are registered in {@link #commandLine()}.
 */
@Command(name = "xnb", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "xnb: a Xen network backend for dom0.",
        footer = {"", "Examples:", "  bin/xnb demo", "  bin/xnb xenstore ls /local/domain"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The command tree; also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        // picocli's own help command: give it an example like every other command
        cl.getSubcommands().get("help").getCommandSpec().usageMessage().footer("", "Examples:", "  bin/xnb help",
                "  bin/xnb help show-usage     (the same as bin/xnb show-usage --help)");
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new CliErrors());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
