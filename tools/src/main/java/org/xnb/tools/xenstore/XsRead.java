package org.xnb.tools.xenstore;

import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** xenstore-read: values, escaped (or raw with -R), one per line; a transaction if several. */
@Command(name = "read", exitCodeOnInvalidInput = 1,
        description = "Print the values of keys.",
        footer = {"", "Example:", "  bin/xnb xenstore read -p /local/domain/0/name"})
final class XsRead extends XsSubcommand {
    @Option(names = {"-p", "--prefix"}, description = "Print 'key: ' before each value.")
    boolean prefix;

    @Option(names = {"-R", "--raw"}, description = "Print the raw bytes (no escaping, no newline).")
    boolean raw;

    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    String mode() {
        return "read";
    }

    @Override
    String usage() {
        return "[-h] [-p] [-s] [-R] key [...]";
    }

    @Override
    boolean argsValid() {
        return keys != null && !keys.isEmpty();
    }

    @Override
    int run(XenstoreClient client) {
        return inTransaction(client, keys.size() > 1, (tx, buf) -> {
            for (String key : keys) {
                byte[] val;
                try {
                    val = tx.read(key);
                } catch (XenstoreException e) {
                    warnx("couldn't read path " + key);
                    return 1;
                }
                if (prefix) {
                    print(buf, key + ": ");
                }
                if (raw) {
                    buf.writeBytes(val);
                } else {
                    print(buf, ValueEscaping.sanitise(val) + "\n");
                }
            }
            return 0;
        });
    }
}
