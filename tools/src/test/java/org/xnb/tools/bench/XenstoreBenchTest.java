package org.xnb.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** {@code bench xenstore} and {@code bench handshake-storm} in-process with tiny parameters. */
class XenstoreBenchTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void xenstorePrintsCommandAndEightRows() {
        int code = run("bench", "xenstore", "--seconds", "0.1", "--warmup", "0", "--clients", "3", "--pipeline", "8");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("command: bin/xnb bench xenstore --seconds 0.1 --warmup 0 --clients 3 --pipeline 8 --timeout 30"), text);
        Pattern row = Pattern.compile("(?m)^(READ|WRITE)\\s+(\\d+)\\s+(blocking|pipelined)\\s+(\\d+)\\s+([\\d,]+)\\s+([\\d.]+)\\s+([\\d.]+)$");
        Matcher m = row.matcher(text);
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
            assertTrue(Long.parseLong(m.group(5).replace(",", "")) > 0, text);
            double p50 = Double.parseDouble(m.group(6));
            double p99 = Double.parseDouble(m.group(7));
            assertTrue(p50 > 0 && p50 <= p99, text);
        }
        assertEquals(List.of("READ 1 blocking 1", "WRITE 1 blocking 1", "READ 3 blocking 1", "WRITE 3 blocking 1",
                "READ 1 pipelined 8", "WRITE 1 pipelined 8", "READ 3 pipelined 8", "WRITE 3 pipelined 8"), rows, text);
    }

    @Test
    void xenstoreRejectsBadOptions() {
        assertEquals(2, run("bench", "xenstore", "--pipeline", "1"));
        assertEquals("xenstore: --seconds must be 0..600, --warmup 0..600, --clients 1..256, --pipeline 2..1024, --timeout 1..3600",
                err.toString().trim());
    }

    @Test
    void handshakeStormConnectsEveryVif() {
        int code = run("bench", "handshake-storm", "--vifs", "20", "--timeout", "30");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("command: bin/xnb bench handshake-storm --vifs 20 --toolstack-in-flight 256 --timeout 30"), text);
        assertTrue(text.contains("20 vifs, 22 connections"), text);
        Matcher m = Pattern.compile("(?m)^20\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)\\s+([\\d,]+)\\s+(\\d+)\\s+([\\d,]+)"
                + "\\s+([\\d.]+)\\s+(\\d+)$").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(m.group(2)), text);
        long requests = Long.parseLong(m.group(3));
        long events = Long.parseLong(m.group(5));
        // per vif: 18 toolstack, 12 backend probe (watch, 10 features, InitWait), 5 backend
        // connect (4 ring reads, Connected) + 2 FE/state reads, 16 frontend writes + 3 BE/state reads
        assertEquals(20 * (18 + 12 + 5 + 2 + 16 + 3), requests, text);
        // the backend dir watch: 11 toolstack + 12 own changes; FE/state watch: set + Connected;
        // the frontend's BE/state watch: Initialising, InitWait, Connected
        assertEquals(20 * (11 + 12 + 2 + 3), events, text);
        assertEquals(20 * 28, 20 * VifHandshake.expectedEventsPerVif());
    }

    @Test
    void handshakeStormHelpShowsExample() {
        assertEquals(0, run("bench", "handshake-storm", "--help"));
        assertTrue(out.toString().contains("bin/xnb bench handshake-storm --vifs 1000"), out.toString());
    }
}
