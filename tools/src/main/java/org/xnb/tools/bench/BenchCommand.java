package org.xnb.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb bench}: benchmarks of the data path's building blocks. Each benchmark is a
 * subcommand; add one by adding its class to {@code subcommands} below (one line).
 */
@Command(name = "bench",
        description = "Benchmarks of xnb's building blocks (numbers depend on the machine; compare within one run).",
        subcommands = {
            RingsBenchCommand.class,
            GrantCopyBench.class,
            EvtchnBench.class,
            XenstoreBench.class,
            HandshakeStormBench.class,
            NetbackBench.class,
            CaptureBench.class,
            UsageJournalBench.class,
            ToeplitzBench.class,
            CounterServicesBench.class,
            LanesBench.class,
            MultiQueueBench.class
        },
        footer = {"", "Examples:", "  bin/xnb bench rings", "  bin/xnb bench grant-copy",
            "  bin/xnb bench evtchn --rounds 200000",
            "  bin/xnb bench xenstore", "  bin/xnb bench handshake-storm --vifs 1000", "  bin/xnb bench netback",
            "  bin/xnb bench capture", "  bin/xnb bench usage-journal",
            "  bin/xnb bench toeplitz", "  bin/xnb bench metrics --lanes 1024",
            "  bin/xnb bench lanes --guests 1,2,4",
            "  bin/xnb bench multiqueue --queues 1,2,4 --flows 1,2,4,8,16"})
public final class BenchCommand implements Runnable {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a benchmark is required: " + String.join(", ", spec.subcommands().keySet()));
    }
}
