package org.xnb.tools;

import java.util.List;

/** The top-level subcommands of {@code xnb}, in the order {@code --help} lists them. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                new picocli.CommandLine.HelpCommand(),
                new org.xnb.tools.xenstore.XenstoreCommand());
    }
}
