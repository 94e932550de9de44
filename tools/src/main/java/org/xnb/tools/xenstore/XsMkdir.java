package org.xnb.tools.xenstore;

import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * mkdir: Debian ships no xenstore-mkdir; this one follows the other modes' conventions
 * (one transaction, "could not create path ..." and status 1 on failure).
 */
@Command(name = "mkdir", exitCodeOnInvalidInput = 1,
        description = "Create keys with empty values (existing keys are left alone).",
        footer = {"", "Example:", "  bin/xnb xenstore mkdir /local/domain/0/backend/vif"})
final class XsMkdir extends XsSubcommand {
    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    String mode() {
        return "mkdir";
    }

    @Override
    String usage() {
        return "[-h] [-s] key [...]";
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
                    tx.mkdir(key);
                } catch (XenstoreException e) {
                    warnx("could not create path " + key);
                    return 1;
                }
            }
            return 0;
        });
    }
}
