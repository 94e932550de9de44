package org.xnb.tools.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb snoop}: captures a VNIC's frames into a pcap file. The daemon writes the file (it and
 * this command are both root: the admin socket is root's), at the absolute path resolved here;
 * this command starts the session, polls it until COUNT frames are written (or Ctrl-C, or
 * {@code --duration}), then ends it and reports what was written and what was lost.
 */
@Command(name = "snoop", mixinStandardHelpOptions = true,
        description = {"Capture the frames of a live vif, both directions, into a pcap file (tcpdump -r, tshark -r "
                + "read it) without stopping its lane: the lane copies each frame into a bounded ring that a writer "
                + "thread in the daemon drains into FILE; when the writer falls behind, frames are lost and counted "
                + "(reported at the end).",
                "The daemon writes FILE (as root) at its absolute path. Ends after -c COUNT frames, after --duration, "
                        + "or on Ctrl-C."},
        footer = {"", "Examples:", "  bin/xnb snoop -l vif1.0 -o /tmp/vif1.pcap -c 100",
                "  bin/xnb snoop -l vif2.0 -o vif2.pcap --duration 10 && tshark -r vif2.pcap"})
public final class SnoopCommand extends AdminCommand {
    static final long POLL_MS = 200;

    @Option(names = {"-l", "--link"}, required = true, paramLabel = "LINK", description = "The vif, e.g. vif1.0.")
    String link;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.pcap", description = "The pcap file.")
    Path file;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Stop after COUNT frames (default: no limit).")
    long count;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES",
            description = "Bytes kept of each frame, 64..65535 (default 65535: whole GSO frames).")
    int snaplen = SnoopRequests.DEFAULT_SNAPLEN;

    @Option(names = {"--duration"}, paramLabel = "SECONDS", description = "Stop after SECONDS (default: no limit).")
    long duration;

    @Override
    Integer run() {
        if (count < 0) {
            throw new IllegalArgumentException("-c: " + count + " is not a count; allowed: 1 or more (0: no limit)");
        }
        if (snaplen < 64 || snaplen > 65535) {
            throw new IllegalArgumentException("-s: " + snaplen + " is out of range; allowed: 64..65535");
        }
        if (duration < 0) {
            throw new IllegalArgumentException("--duration: " + duration + " < 0; allowed: seconds, 0 = no limit");
        }
        Path abs = file.toAbsolutePath().normalize();
        List<Map<String, String>> rows = ask(new AdminRequest(AdminRequest.SNOOP, link, null, false, false, null, null,
                abs.toString(), count, snaplen));
        if (rows == null) {
            return FAILED;
        }
        String id = rows.get(0).get("ID");
        AtomicBoolean ended = new AtomicBoolean();
        Thread hook = new Thread(() -> { // Ctrl-C: end the session, so the file is complete
            if (ended.compareAndSet(false, true)) {
                report(stop(id));
            }
        }, "snoop-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long end = duration == 0 ? Long.MAX_VALUE : System.nanoTime() + duration * 1_000_000_000L;
            while (System.nanoTime() < end) {
                List<Map<String, String>> s = ask(new AdminRequest(AdminRequest.SNOOP_STATUS, null, null, false, false,
                        id, null, null, 0, 0));
                if (s == null) {
                    return FAILED;
                }
                if (Boolean.parseBoolean(s.get(0).get("DONE"))) {
                    break;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!ended.compareAndSet(false, true)) {
            return 0;
        }
        Map<String, String> last = stop(id);
        Runtime.getRuntime().removeShutdownHook(hook);
        return last == null ? FAILED : report(last);
    }

    private Map<String, String> stop(String id) {
        List<Map<String, String>> s = ask(new AdminRequest(AdminRequest.SNOOP_STOP, null, null, false, false, id, null,
                null, 0, 0));
        return s == null ? null : s.get(0);
    }

    private int report(Map<String, String> last) {
        if (last == null) {
            return FAILED;
        }
        var err = spec.commandLine().getErr();
        String note = last.get("NOTE");
        err.println("xnb snoop: " + last.get("WRITTEN") + " frames written to " + last.get("FILE") + ", "
                + last.get("DROPPED") + " lost (the capture ring was full)"
                + (note == null || note.isEmpty() || note.equals("--") ? "" : "; " + note));
        err.flush();
        return 0;
    }
}
