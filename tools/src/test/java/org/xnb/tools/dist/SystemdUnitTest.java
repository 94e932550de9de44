package org.xnb.tools.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.tools.Main;
import picocli.CommandLine;

/**
 * The unit's keys as an operator relies on them: ordered after xenstored under both the names
 * upstream Xen (xenstored.service, proc-xen.mount) and Debian (xen.service, the SysV script) give
 * it, stopped with SIGTERM, restarted after a lost xenstore, and an ExecStart whose daemon
 * arguments xnb itself accepts. {@code SystemdUnitIT} runs systemd's own checker on it.
 */
class SystemdUnitTest {

    @Test
    void itStartsAfterXenstoredUnderBothNamesAndBeforeTheGuests() throws Exception {
        SystemdUnit u = SystemdUnit.read();
        List<String> after = u.words("Unit", "After");
        List<String> wants = u.words("Unit", "Wants");
        for (String xenstored : List.of("xenstored.service", "xen.service", "proc-xen.mount")) {
            assertTrue(after.contains(xenstored), "After= " + after + " lacks " + xenstored);
            assertTrue(wants.contains(xenstored), "Wants= " + wants + " lacks " + xenstored);
        }
        assertTrue(u.words("Unit", "Before").contains("xendomains.service"));
        assertEquals(List.of(), u.words("Unit", "Requires"), "Requires= on a unit one distribution lacks fails the start");
        assertEquals("multi-user.target", u.one("Install", "WantedBy"));
    }

    @Test
    void itStopsWithSigtermAndRestartsWhenXenstoreGoes() throws Exception {
        SystemdUnit u = SystemdUnit.read();
        assertEquals("SIGTERM", u.one("Service", "KillSignal"));
        assertEquals("on-failure", u.one("Service", "Restart"), "exit 3 (xenstore lost) must restart the daemon");
        assertTrue(Integer.parseInt(u.one("Service", "TimeoutStopSec")) >= 10, "time to close every vif");
        assertEquals("xnb", u.one("Service", "RuntimeDirectory"));
        assertEquals("xnb", u.one("Service", "StateDirectory"));
        assertEquals("/run/xnb/xnb.pid", u.one("Service", "PIDFile"));
    }

    @Test
    void execStartRunsTheDaemonWithArgumentsItAccepts() throws Exception {
        SystemdUnit u = SystemdUnit.read();
        List<String> exec = List.of(u.one("Service", "ExecStart").split("\\s+"));
        assertTrue(exec.get(0).startsWith("/"), "systemd needs an absolute path: " + exec);
        int jar = exec.indexOf("-jar");
        assertTrue(jar > 0 && exec.get(jar + 1).endsWith("/xnb.jar") && exec.get(jar + 2).equals("daemon"), exec.toString());
        assertTrue(exec.contains("-Dchronicle.analytics.disable=true"), exec.toString());
        List<String> args = new ArrayList<>();
        for (String a : exec.subList(jar + 2, exec.size())) {
            if (!a.startsWith("$")) { // $XNB_OPTS from /etc/default/xnb
                args.add(a);
            }
        }
        assertTrue(exec.contains("$XNB_OPTS"), "operators' options from EnvironmentFile: " + exec);
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult daemon = parsed.subcommand();
        assertEquals("daemon", daemon.commandSpec().name());
        assertEquals("/run/xnb/xnb.pid", daemon.matchedOptionValue("--pid-file", null).toString());
        assertTrue(daemon.matchedOptionValue("--counters", null).toString().startsWith("/run/xnb/"),
                "the counters file in RuntimeDirectory");
        assertTrue(daemon.matchedOptionValue("--usage-journal", null).toString().startsWith("/var/lib/xnb/"),
                "the usage journal in StateDirectory");
        assertEquals("/var/lib/xnb/xnb.conf", daemon.matchedOptionValue("--config", null).toString(),
                "the configuration (etherstubs, VNICs, properties) in StateDirectory");
    }
}
