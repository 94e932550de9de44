package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A finished command: exit code and output (stdout and stderr together). */
record CommandRun(int exitCode, String output) {

    /** {@code java -jar target/xnb.jar ARGS}, as bin/xnb runs it. */
    static CommandRun xnb(int timeoutSeconds, String... args) throws Exception {
        Path jar = Path.of("target", "xnb.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through 'mvn verify' so that the jar is packaged: " + jar);
        List<String> cmd = new ArrayList<>(List.of("java", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return run(timeoutSeconds, cmd);
    }

    static CommandRun run(int timeoutSeconds, String... cmd) throws Exception {
        return run(timeoutSeconds, List.of(cmd));
    }

    /** Runs to completion (output to a file, so a detached grandchild holding a pipe cannot block us). */
    static CommandRun run(int timeoutSeconds, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("xnb-it-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + read(out));
            }
            return new CommandRun(p.exitValue(), read(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String read(Path out) throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    CommandRun ok(String what) {
        assertTrue(exitCode == 0, what + " failed with exit " + exitCode + ":\n" + output);
        return this;
    }
}
