package org.xnb.tools.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb harness}: the simulated hypervisor side, for running netback without Xen. A parent
 * command; each part of the harness is a subcommand.
 */
@Command(name = "harness", mixinStandardHelpOptions = true,
        description = "Run parts of the simulated hypervisor (test harness).",
        subcommands = {XenstoredCommand.class, HarnessUpCommand.class, HarnessDownCommand.class,
                HarnessServeCommand.class},
        footer = {"", "Examples:", "  bin/xnb harness xenstored --socket /tmp/xs.sock",
                "  bin/xnb harness up --guests 2 --tap && ip netns exec xnb-g1 ping -c 3 198.18.0.2",
                "  bin/xnb harness down"})
public final class HarnessCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
