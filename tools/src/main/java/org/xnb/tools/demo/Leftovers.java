package org.xnb.tools.demo;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.tools.harness.RunDirectory;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;

/** What a harness could leave behind after {@code harness down}: the demo checks there is none. */
final class Leftovers {
    private static final Pattern NAMESPACE = Pattern.compile("xnb-g\\d+|xnb-dom0");
    private static final Pattern TAP = Pattern.compile("xnb-g\\d+v\\d+");

    private Leftovers() {
    }

    /** The harness namespaces there are now (none when not root: we could not have made any). */
    static List<String> namespaces(boolean root) {
        List<String> found = new ArrayList<>();
        if (root) {
            for (String ns : GuestNamespace.list("xnb-")) {
                if (NAMESPACE.matcher(ns).matches()) {
                    found.add(ns);
                }
            }
        }
        return found;
    }

    /** Each thing left: a namespace, a TAP device, a process naming the directory, the directory. */
    static List<String> find(RunDirectory run, boolean root) {
        List<String> left = new ArrayList<>();
        namespaces(root).forEach(ns -> left.add("namespace " + ns));
        if (root) {
            CommandResult links = Commands.run(Duration.ofSeconds(10), "ip", "-o", "link", "show");
            for (String line : links.stdout().split("\n")) {
                String[] parts = line.split(":\\s+", 3);
                if (parts.length >= 2 && TAP.matcher(parts[1].split("@")[0].strip()).matches()) {
                    left.add("TAP device " + parts[1].strip());
                }
            }
        }
        ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(run::ours)
                .forEach(p -> left.add("process " + p.pid()));
        if (Files.exists(run.dir())) {
            left.add("directory " + run.dir());
        }
        return left;
    }
}
