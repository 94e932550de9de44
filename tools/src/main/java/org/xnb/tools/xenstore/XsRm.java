package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** xenstore-rm: remove keys (and with -t, parents left empty and valueless). */
@Command(name = "rm", exitCodeOnInvalidInput = 1,
        description = "Remove keys and everything below them.",
        footer = {"", "Example:", "  bin/xnb xenstore rm -t /local/domain/0/backend/vif/5/0"})
final class XsRm extends EachKeySubcommand {
    @Option(names = {"-t", "--tidy"}, description = "Also remove parents that become empty and have no value.")
    boolean tidy;


    @Override
    String mode() {
        return "rm";
    }

    @Override
    String usage() {
        return "[-h] [-s] [-t] key [...]";
    }

    @Override
    int onKey(Transaction tx, String key, ByteArrayOutputStream buf) {
        return (tidy ? rmTidy(tx, key) : rm(tx, key)) ? 1 : 0;
    }

    /** True on failure (do_rm's convention). */
    private boolean rm(Transaction tx, String path) {
        try {
            tx.rm(path);
            return false;
        } catch (XenstoreException e) {
            warnx("could not remove path " + path);
            return true;
        }
    }

    /** Removes, then walks up while the parent has an empty value and no children. */
    private boolean rmTidy(Transaction tx, String path) {
        String p = path;
        // bounded: every round removes one path component
        while (true) {
            if (rm(tx, p)) {
                return true;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            p = p.substring(0, slash);
            try {
                if (tx.read(p).length != 0 || !tx.directory(p).isEmpty()) {
                    return false;
                }
            } catch (XenstoreException e) {
                return false;
            }
        }
    }
}
