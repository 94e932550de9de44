package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;

/**
 * mkdir: Debian ships no xenstore-mkdir; this one follows the other modes' conventions
 * (one transaction, "could not create path ..." and status 1 on failure).
 */
@Command(name = "mkdir", exitCodeOnInvalidInput = 1,
        description = "Create keys with empty values (existing keys are left alone).",
        footer = {"", "Example:", "  bin/xnb xenstore mkdir /local/domain/0/backend/vif"})
final class XsMkdir extends EachKeySubcommand {

    @Override
    String mode() {
        return "mkdir";
    }

    @Override
    String usage() {
        return "[-h] [-s] key [...]";
    }

    @Override
    int onKey(Transaction tx, String key, ByteArrayOutputStream buf) {
        try {
            tx.mkdir(key);
            return 0;
        } catch (XenstoreException e) {
            warnx("could not create path " + key);
            return 1;
        }
    }
}
