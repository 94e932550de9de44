package org.xnb.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb bench}: micro-benchmarks of the data path's building blocks. Each benchmark is a
 * subcommand; add one by adding its class to {@code subcommands} below (one line).
 */
@Command(name = "bench", description = "Micro-benchmarks of xnb's data-path building blocks (indicative numbers).",
        subcommands = {
            RingsBenchCommand.class,
        },
        footer = {"", "Examples:", "  bin/xnb bench rings", "  bin/xnb bench rings --entries 50000000 --batch 32"})
public final class BenchCommand implements Runnable {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required (see --help)");
    }
}
