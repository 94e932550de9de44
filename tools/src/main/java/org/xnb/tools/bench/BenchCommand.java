package org.xnb.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code xnb bench}: micro-benchmarks of xnb's building blocks; each one is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Micro-benchmarks of xnb's building blocks (numbers depend on the machine; compare within one run).",
        subcommands = {GrantCopyBench.class, EvtchnBench.class},
        footer = {"", "Examples:", "  bin/xnb bench grant-copy", "  bin/xnb bench evtchn --rounds 200000"})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a benchmark is required: " + String.join(", ", spec.subcommands().keySet()));
    }
}
