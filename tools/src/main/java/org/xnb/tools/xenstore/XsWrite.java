package org.xnb.tools.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** xenstore-write: key/value pairs; values are unescaped unless -R; a transaction if several. */
@Command(name = "write", exitCodeOnInvalidInput = 1,
        description = "Write values to keys (pairs: key value [key value ...]).",
        footer = {"", "Example:", "  bin/xnb xenstore write /local/domain/0/data/x 'tab\\there'"})
final class XsWrite extends XsSubcommand {
    @Option(names = {"-R", "--raw"}, description = "Write the value as given (no unescaping).")
    boolean raw;

    @Parameters(arity = "0..*", paramLabel = "key value")
    List<String> args;

    @Override
    String mode() {
        return "write";
    }

    @Override
    String usage() {
        return "[-h] [-s] [-R] key value [...]";
    }

    @Override
    boolean argsValid() {
        return args != null && !args.isEmpty() && args.size() % 2 == 0;
    }

    @Override
    int run(XenstoreClient client) {
        return inTransaction(client, args.size() > 2, (tx, buf) -> {
            for (int i = 0; i < args.size(); i += 2) {
                String key = args.get(i);
                String valueSpec = args.get(i + 1);
                byte[] val = raw ? valueSpec.getBytes(StandardCharsets.UTF_8) : ValueEscaping.unsanitise(valueSpec);
                try {
                    tx.write(key, val);
                } catch (XenstoreException e) {
                    warnx("could not write path " + key);
                    return 1;
                }
            }
            return 0;
        });
    }
}
