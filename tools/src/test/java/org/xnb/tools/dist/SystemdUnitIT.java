package org.xnb.tools.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's own checker on the unit: {@code systemd-analyze verify} must pass without a word (it
 * exits 0 on unknown keys and bad values, only warning, so any output fails the test). A unit
 * with a typo is caught, to show the check can fail.
 */
class SystemdUnitIT {
    @TempDir
    Path dir;

    private String verify(Path unit) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("systemd-analyze is missing: install Debian's systemd package (bin/test does): " + e.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        return "exit " + p.exitValue() + (out.isBlank() ? "" : "\n" + out.strip());
    }

    @Test
    void systemdAnalyzeVerifyPassesWithoutAWarning() throws Exception {
        Path unit = dir.resolve("xnb.service");
        Files.copy(SystemdUnit.FILE, unit);
        assertEquals("exit 0", verify(unit));
    }

    @Test
    void aMisspelledKeyIsReported() throws Exception {
        Path unit = dir.resolve("xnb.service");
        Files.writeString(unit, Files.readString(SystemdUnit.FILE).replace("KillSignal=", "KilSignal="));
        String result = verify(unit);
        assertTrue(result.contains("Unknown key 'KilSignal'"), result);
    }
}
