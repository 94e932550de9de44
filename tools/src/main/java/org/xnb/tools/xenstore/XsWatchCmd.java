package org.xnb.tools.xenstore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.xnb.xenstore.WatchEvent;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * xenstore-watch: watches each key (token = the key) and prints the path of every event,
 * including the one xenstored fires when a watch is set, until -n events were printed.
 */
@Command(name = "watch", exitCodeOnInvalidInput = 1,
        description = "Print the paths of watch events for keys.",
        footer = {"", "Example:", "  bin/xnb xenstore watch -n 2 /local/domain/0/backend/vif"})
final class XsWatchCmd extends XsSubcommand {
    @Option(names = {"-n", "--number"}, paramLabel = "NR", description = "Stop after NR events (default: never).")
    String number;

    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    String mode() {
        return "watch";
    }

    @Override
    String usage() {
        return "[-h] [-n NR] key";
    }

    @Override
    boolean argsValid() {
        return keys != null && !keys.isEmpty();
    }

    @Override
    int run(XenstoreClient client) throws InterruptedException {
        int max = number == null ? -1 : atoi(number);
        // The listener blocks on a full queue: that is the client's dispatcher thread, so
        // the client coalesces further events instead of stalling its reader.
        BlockingQueue<WatchEvent> events = new ArrayBlockingQueue<>(1024);
        List<XsWatch> watches = new ArrayList<>();
        for (String w : keys) {
            try {
                watches.add(client.watch(w, w, e -> {
                    try {
                        events.put(e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }));
            } catch (XenstoreException | IllegalArgumentException e) {
                return errx("Unable to add watch on " + w + "\n");
            }
        }
        for (int count = 0; max == -1 || count < max; count++) {
            out().println(events.take().path());
            out().flush();
        }
        return 0;
    }

    private static int atoi(String s) {
        String t = s.trim();
        int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
        while (i < t.length() && Character.isDigit(t.charAt(i)) && i < 10) {
            i++;
        }
        try {
            return Integer.parseInt(t.substring(0, i));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
