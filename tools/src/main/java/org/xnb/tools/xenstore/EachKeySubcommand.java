package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine.Parameters;

/**
 * The modes that take one or more keys and handle each in turn inside one transaction,
 * stopping with status 1 at the first key that fails (list, rm, mkdir, exists).
 */
abstract class EachKeySubcommand extends XsSubcommand {
    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    final boolean argsValid() {
        return keys != null && !keys.isEmpty();
    }

    /** Handles one key; returns 0, or 1 to stop (after printing any message). */
    abstract int onKey(Transaction tx, String key, ByteArrayOutputStream buf);

    @Override
    final int run(XenstoreClient client) {
        return inTransaction(client, true, (tx, buf) -> {
            for (String key : keys) {
                if (onKey(tx, key, buf) != 0) {
                    return 1;
                }
            }
            return 0;
        });
    }
}
