package org.xnb.tools.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb harness down}: stops what {@code harness up} started and removes what it made, also
 * after a crash: the processes recorded in DIR or whose command line names DIR (SIGTERM, SIGKILL
 * after a grace period), the namespaces xnb-gN and xnb-dom0, TAP devices xnb-gNvM left in our
 * namespace, and DIR. With nothing up it says so and succeeds.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the harness that 'harness up' started and remove its processes, namespaces, TAP devices and files.",
        footer = {"", "Example:", "  bin/xnb harness down"})
public final class HarnessDownCommand implements Callable<Integer> {
    static final Pattern OUR_NAMESPACE = Pattern.compile("xnb-g\\d+|" + HarnessUpCommand.DOM0_NAMESPACE);
    static final Pattern OUR_TAP = Pattern.compile("xnb-g\\d+v\\d+");
    static final long GRACE_MS = 10_000;

    @Option(names = "--dir", paramLabel = "DIR", description = "The directory given to harness up (default: ${DEFAULT-VALUE}).")
    Path dir = RunDirectory.DEFAULT;

    @Override
    public Integer call() {
        RunDirectory run = new RunDirectory(dir.toAbsolutePath());
        List<String> done = new ArrayList<>();
        Set<ProcessHandle> procs = new LinkedHashSet<>();
        for (String name : run.processNames()) {
            run.live(name).ifPresent(procs::add);
        }
        ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(run::ours)
                .forEach(procs::add);
        // the backend first, so it sees its guests' rings while it still can; then the harness
        List<ProcessHandle> ordered = new ArrayList<>(procs);
        run.live(RunDirectory.BACKEND).ifPresent(b -> {
            ordered.remove(b);
            ordered.add(0, b);
        });
        for (ProcessHandle p : ordered) {
            done.add("process " + p.pid() + " " + DetachedProcess.stop(p, GRACE_MS));
        }
        for (String ns : GuestNamespace.list("xnb-")) {
            if (OUR_NAMESPACE.matcher(ns).matches() && GuestNamespace.delete(ns)) {
                done.add("namespace " + ns + " deleted");
            }
        }
        for (String link : rootLinks()) {
            if (OUR_TAP.matcher(link).matches()
                    && Commands.run(Duration.ofSeconds(10), "ip", "link", "delete", "dev", link).ok()) {
                done.add("TAP device " + link + " deleted");
            }
        }
        if (Files.exists(run.dir())) {
            deleteTree(run.dir());
            done.add(run.dir() + " removed");
        }
        if (done.isEmpty()) {
            System.out.println("harness: nothing is up (no " + run.dir() + ", no xnb-g*/xnb-dom0 namespaces)");
        } else {
            done.forEach(d -> System.out.println("harness: " + d));
        }
        return 0;
    }

    private static List<String> rootLinks() {
        CommandResult r = Commands.run(Duration.ofSeconds(10), "ip", "-o", "link", "show");
        List<String> names = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.stdout().split("\n")) {
                String[] parts = line.split(":\\s+", 3);
                if (parts.length >= 2) {
                    names.add(parts[1].split("@")[0].strip());
                }
            }
        }
        return names;
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
