package org.xnb.tools.harness;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnb.tools.Main;

/**
 * Starting and stopping the background processes of {@code harness up}: a new JVM running this
 * same jar with this JVM's options, in its own session ({@code setsid}, so closing the terminal
 * does not take it down), stdin from /dev/null, stdout and stderr to a log.
 */
final class DetachedProcess {
    /** The main class every harness process runs; {@link RunDirectory#ours} looks for it. */
    static final String MAIN = Main.class.getName();
    private DetachedProcess() {
    }

    /** {@code java [our JVM options] -jar xnb.jar ARGS}. */
    static List<String> xnb(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String opt : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!opt.startsWith("-agentlib") && !opt.startsWith("-javaagent")) {
                cmd.add(opt);
            }
        }
        String cp = classPath();
        cmd.addAll(manifestModuleFlags(cp));
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(MAIN);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The shaded jar's manifest {@code Add-Opens}/{@code Add-Exports} (Chronicle's, for the usage
     * journal) as command-line flags: {@code -cp} does not apply them, and a JVM started as
     * {@code java -jar xnb.jar} has them from the manifest, not on its command line to pass on.
     */
    static List<String> manifestModuleFlags(String classPath) {
        List<String> flags = new ArrayList<>();
        if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
            return flags; // a build tree (tests): the flags are this JVM's options, passed on above
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(classPath)) {
            java.util.jar.Manifest m = jar.getManifest();
            if (m != null) {
                for (String[] kind : new String[][] {{"Add-Opens", "--add-opens="}, {"Add-Exports", "--add-exports="}}) {
                    String value = m.getMainAttributes().getValue(kind[0]);
                    for (String pkg : value == null ? new String[0] : value.trim().split("\\s+")) {
                        if (!pkg.isEmpty()) {
                            flags.add(kind[1] + pkg + "=ALL-UNNAMED");
                        }
                    }
                }
            }
        } catch (IOException e) {
            // not readable: start without them, the child reports what fails
        }
        return flags;
    }

    private static String classPath() {
        try {
            Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // from the shaded jar: the jar; from a build tree (tests): the whole class path
            return self.toString().endsWith(".jar") ? self.toString() : System.getProperty("java.class.path");
        } catch (URISyntaxException e) {
            return System.getProperty("java.class.path");
        }
    }

    /** Starts {@code argv} detached with output to {@code log}; returns the process. */
    static Process start(List<String> argv, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(argv);
        return new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    /** SIGTERM, then SIGKILL after {@code graceMs}; returns how it ended. */
    static String stop(ProcessHandle p, long graceMs) {
        p.destroy();
        try {
            p.onExit().get(graceMs, TimeUnit.MILLISECONDS);
            return "stopped";
        } catch (Exception e) {
            p.destroyForcibly();
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported below as still there
            }
            return p.isAlive() ? "did not die even after SIGKILL" : "killed (SIGKILL after " + graceMs / 1000 + " s)";
        }
    }
}
