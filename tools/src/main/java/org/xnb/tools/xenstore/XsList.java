package org.xnb.tools.xenstore;

import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** xenstore-list: the children of keys, one per line. */
@Command(name = "list", exitCodeOnInvalidInput = 1,
        description = "List the children of keys.",
        footer = {"", "Example:", "  bin/xnb xenstore list -p /local/domain"})
final class XsList extends XsSubcommand {
    @Option(names = {"-p", "--prefix"}, description = "Print the full path of each child.")
    boolean prefix;

    @Parameters(arity = "0..*", paramLabel = "key")
    List<String> keys;

    @Override
    String mode() {
        return "list";
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
            }
            return 0;
        });
    }
}
