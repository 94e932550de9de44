package org.xnb.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.testing.RequireRoot;

/**
 * The README's first command, {@code java -jar target/xnb.jar demo}, as a separate process: as root
 * (TAP-backed guests, ping and iperf3) its summary holds the measured rates within their limits,
 * the spoofed pings dropped as IPSPOOFED and the flow's frames, "demo: OK" is its last line, and
 * nothing is left (no harness namespace, no process naming its directory, no directory); as user
 * nobody (mock guests sending UDP) both limits hold, the flow's frames are counted, it ends OK and
 * leaves nothing.
 */
class DemoIT {
    private static final Pattern DIR = Pattern.compile("--dir (\\S+/xnb-demo-\\d+)/h");
    private static final Pattern LIMITED = Pattern.compile(
            "limited: (vif1\\.0 maxbw=100M|flow bulk3 maxbw=50M)[^\n]*?: measured ([0-9.]+) Mbit/s against a limit of (\\d+)");

    @TempDir
    Path temp;

    @BeforeAll
    static void tools() {
        RequireRoot.check();
        RequireRoot.requireTool("ping", "iputils-ping");
        RequireRoot.requireTool("iperf3", "iperf3");
    }

    @Test
    void asRootTrafficMovesLimitsHoldDropsAreExplainedAndNothingIsLeft() throws Exception {
        String out = run(List.of(java(), "-jar", jar().toString(), "demo"), 120);
        assertLastLine(out, "demo: OK - 3 guests, traffic moved, limits held");
        Matcher m = LIMITED.matcher(out);
        int limits = 0;
        while (m.find()) {
            double mbit = Double.parseDouble(m.group(2));
            long limit = Long.parseLong(m.group(3));
            assertTrue(mbit > limit * 0.5 && mbit <= limit * 1.05, m.group());
            limits++;
        }
        assertEquals(2, limits, out);
        assertTrue(Pattern.compile("dropped: vif1\\.0: [1-9]\\d* IPSPOOFED").matcher(out).find(), out);
        assertTrue(Pattern.compile("dropped: flow bulk3: [0-9,]+ of the [1-9][0-9,]* frames guest 3 sent").matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("moved: +vif2\\.0 \\(guest 2\\) sent [0-9,]+ frames \\([0-9,]+ bytes\\), received "
                + "[0-9,]{5,} frames").matcher(out).find(), out);
        assertTrue(out.contains("ping guest 1 -> guest 3: 20 packets transmitted, 20 received, 0% packet loss"), out);
        // the live view: dlstat's rate columns and a mode per lane
        assertTrue(Pattern.compile("IBPS +OBPS MODE").matcher(out).find(), out);
        assertTrue(Pattern.compile("vif1\\.0 +0( +\\d+){7} (interrupt|poll)").matcher(out).find(), out);
        assertNothingLeft(out, true);
    }

    @Test
    void asAnotherUserMockGuestsRunTheSameTourAndNothingIsLeft() throws Exception {
        // a copy of the jar nobody may read, run from a directory nobody may enter
        Path jar = temp.resolve("xnb.jar");
        Files.copy(jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        String out = run(List.of("runuser", "-u", "nobody", "--", java(), "-jar", jar.toString(), "demo", "--seconds",
                "3"), 120);
        assertLastLine(out, "demo: OK - 3 mock guests, traffic moved, limits held");
        assertTrue(out.contains("vif3.0 xnb0 00:16:3e:00:03:00 up    xnb-g3"), out);
        assertTrue(out.contains("bulk3 vif3.0 udp   5202  50"), out);
        // the mock guests' UDP: both limits hold (CPU-bound mock guests may offer less than the limit)
        Matcher m = LIMITED.matcher(out);
        int limits = 0;
        while (m.find()) {
            double mbit = Double.parseDouble(m.group(2));
            assertTrue(mbit > 0 && mbit <= Long.parseLong(m.group(3)) * 1.05, m.group());
            limits++;
        }
        assertEquals(2, limits, out);
        assertTrue(Pattern.compile("moved: +vif2\\.0 \\(guest 2\\) sent 0 frames \\(0 bytes\\), received [0-9,]{5,} frames")
                .matcher(out).find(), out);
        assertTrue(Pattern.compile("dropped: flow bulk3: [0-9,]+ of the [1-9][0-9,]* frames guest 3 sent").matcher(out)
                .find(), out);
        assertNothingLeft(out, false);
    }

    private static void assertLastLine(String out, String start) {
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith(start), "last line:\n" + out);
        assertTrue(out.contains("nothing left: no xnb-g*/xnb-dom0 namespace, no TAP, no process, no directory"), out);
    }

    private static void assertNothingLeft(String out, boolean root) throws Exception {
        Matcher d = DIR.matcher(out);
        assertTrue(d.find(), out);
        Path dir = Path.of(d.group(1));
        assertFalse(Files.exists(dir), dir + " is left");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> cmdline(p).contains(dir.toString())),
                "a process naming " + dir + " is left");
        if (root) {
            String ns = run(List.of("ip", "netns", "list"), 10);
            assertFalse(Pattern.compile("(?m)^xnb-(g\\d+|dom0)\\b").matcher(ns).find(), "namespaces left:\n" + ns);
            String links = run(List.of("ip", "-o", "link", "show"), 10);
            assertFalse(Pattern.compile(": xnb-g\\d+v\\d+[:@]").matcher(links).find(), "TAP devices left:\n" + links);
        }
    }

    private static String cmdline(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            return "";
        }
    }

    private static Path jar() {
        Path jar = Path.of("target", "xnb.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through 'mvn verify' so that the jar is packaged: " + jar);
        return jar;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs to completion; output (stdout and stderr) through a file so detached grandchildren cannot block us. */
    private static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("xnb-demo-it-", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .directory(new File("/")).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS); // the demo's Ctrl-C clean-up
                fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(text);
            if (cmd.get(0).equals("ip")) {
                return text;
            }
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
