package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;

/** xenstore-exists: status 0 if every key can be read, 1 (silently) otherwise. */
@Command(name = "exists", exitCodeOnInvalidInput = 1,
        description = "Exit 0 if the keys exist, 1 if not.",
        footer = {"", "Example:", "  bin/xnb xenstore exists /local/domain/5 && echo up"})
final class XsExists extends EachKeySubcommand {

    @Override
    String mode() {
        return "exists";
    }

    @Override
    String usage() {
        return "[-h] [-p] [-s] key [...]";
    }

    @Override
    int onKey(Transaction tx, String key, ByteArrayOutputStream buf) {
        try {
            tx.read(key);
            return 0;
        } catch (XenstoreException e) {
            return 1;
        }
    }
}
