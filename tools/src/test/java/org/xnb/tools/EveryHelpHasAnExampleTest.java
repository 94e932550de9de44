package org.xnb.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand of {@code xnb} (walked from picocli's tree, hidden ones included,
 * so a new command cannot be forgotten) prints an "Example" section with at least one line that
 * runs it, in its usage ({@code --help}).
 */
class EveryHelpHasAnExampleTest {
    private static final Pattern EXAMPLE_HEADING = Pattern.compile("(?m)^Examples?\\b.*:\\s*$");

    @Test
    void everyCommandsUsageHasAnExampleSection() {
        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        walk(Main.commandLine(), missing, checked);
        assertTrue(checked.size() >= 30, "the walk found only " + checked + " (subcommands not registered?)");
        assertEquals(List.of(), missing, "commands whose --help has no \"Example:\"/\"Examples:\" section with "
                + "a line that runs them");
    }

    private static void walk(CommandLine cl, List<String> missing, List<String> checked) {
        String path = cl.getCommandSpec().qualifiedName(" ");
        checked.add(path);
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        var m = EXAMPLE_HEADING.matcher(usage);
        // the section's lines must name the command (its own name, so an example of the parent does not count)
        if (!m.find() || !usage.substring(m.end()).contains(cl.getCommandName())) {
            missing.add(path);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl && sub.getCommandName().equals(sub.getCommandSpec().name())) {
                walk(sub, missing, checked);
            }
        }
    }
}
