package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** xenstore-list: the children of keys, one per line. */
@Command(name = "list", exitCodeOnInvalidInput = 1,
        description = "List the children of keys.",
        footer = {"", "Example:", "  bin/xnb xenstore list -p /local/domain"})
final class XsList extends EachKeySubcommand {
    @Option(names = {"-p", "--prefix"}, description = "Print the full path of each child.")
    boolean prefix;


    @Override
    String mode() {
        return "list";
    }

    @Override
    String usage() {
        return "[-h] [-p] [-s] key [...]";
    }

    @Override
    int onKey(Transaction tx, String key, ByteArrayOutputStream buf) {
        List<String> names;
        try {
            names = tx.directory(key);
        } catch (XenstoreException e) {
            warnx("could not list path " + key);
            return 1;
        }
        for (String n : names) {
            // 4.17 prints "//local" for "list -p /" (later Xen drops one slash)
            print(buf, (prefix ? key + "/" : "") + n + "\n");
        }
        return 0;
    }
}
