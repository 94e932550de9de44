package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void collectsExitCodeAndBothOutputs() {
        CommandResult r = Commands.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.timedOut());
        assertFalse(r.ok());
        assertEquals("sh -c echo out; echo err >&2; exit 3: exited 3: err", r.describe());
    }

    @Test
    void killsACommandThatOverrunsItsDeadline() {
        long start = System.nanoTime();
        CommandResult r = Commands.run(Duration.ofMillis(200), "sleep", "30");
        assertTrue(r.timedOut());
        assertFalse(r.ok());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "waited for sleep to finish");
        assertTrue(r.describe().endsWith("timed out"), r.describe());
    }
}
