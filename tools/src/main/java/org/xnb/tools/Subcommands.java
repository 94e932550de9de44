package org.xnb.tools;

import java.util.List;

/** The top-level subcommands of {@code xnb}, in the order {@code --help} lists them. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                new org.xnb.tools.demo.DemoCommand(),
                new org.xnb.tools.daemon.DaemonCommand(),
                new org.xnb.tools.daemon.AttachCommand(),
                new org.xnb.tools.daemon.DetachCommand(),
                new org.xnb.tools.dlstat.DlstatCommand(),
                new org.xnb.tools.admin.ShowVnicCommand(),
                new org.xnb.tools.admin.ShowLinkCommand(),
                new org.xnb.tools.admin.ShowLinkpropCommand(),
                new org.xnb.tools.admin.SetLinkpropCommand(),
                new org.xnb.tools.admin.ResetLinkpropCommand(),
                new org.xnb.tools.admin.AddFlowCommand(),
                new org.xnb.tools.admin.RemoveFlowCommand(),
                new org.xnb.tools.admin.ShowFlowCommand(),
                new org.xnb.tools.admin.SetFlowpropCommand(),
                new org.xnb.tools.admin.ResetFlowpropCommand(),
                new org.xnb.tools.admin.ShowFlowpropCommand(),
                new org.xnb.tools.admin.SnoopCommand(),
                new org.xnb.tools.admin.CreateEtherstubCommand(), new org.xnb.tools.admin.DeleteEtherstubCommand(),
                new org.xnb.tools.admin.ShowEtherstubCommand(), new org.xnb.tools.admin.CreateVnicCommand(),
                new org.xnb.tools.admin.DeleteVnicCommand(),
                new org.xnb.tools.xenstore.XenstoreCommand(),
                new org.xnb.tools.harness.HarnessCommand(),
                new org.xnb.tools.bench.BenchCommand(),
                new org.xnb.tools.usage.ShowUsageCommand(),
                new org.xnb.tools.xenprobe.XenProbeCommand(),
                new org.xnb.tools.completion.CompletionCommand(),
                new picocli.CommandLine.HelpCommand());
    }
}
