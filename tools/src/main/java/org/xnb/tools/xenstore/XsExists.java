package org.xnb.tools.xenstore;

import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** xenstore-exists: status 0 if every key can be read, 1 (silently) otherwise. */
@Command(name = "exists", exitCodeOnInvalidInput = 1,
        description = "Exit 0 if the keys exist, 1 if not.",
        footer = {"", "Example:", "  bin/xnb xenstore exists /local/domain/5 && echo up"})
final class XsExists extends XsSubcommand {
    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    String mode() {
        return "exists";
    }

    @Override
    String usage() {
        return "[-h] [-p] [-s] key [...]";
    }

    @Override
    boolean argsValid() {
        return keys != null && !keys.isEmpty();
    }

    @Override
    int run(XenstoreClient client) {
        return inTransaction(client, true, (tx, buf) -> {
            for (String key : keys) {
                try {
                    tx.read(key);
                } catch (XenstoreException e) {
                    return 1;
                }
            }
            return 0;
        });
    }
}
