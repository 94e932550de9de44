package org.xnb.tools.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** xenstore-write: key/value pairs; values are unescaped unless -R; a transaction if several. */
@Command(name = "write", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Write values to keys (pairs: key value [key value ...]).",
        footer = {"", "Example:", "  bin/xnb xenstore write /local/domain/0/data/x 'tab\\there'"})
final class XsWrite extends XsSubcommand {
    @Option(names = {"-R", "--raw"}, description = "Write the value as given (no unescaping).")
    boolean raw;

    @Parameters(arity = "2..*", paramLabel = "key value")
    List<String> args;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    String mode() {
        return "write";
    }

    @Override
    int run(XenstoreClient client) {
        if (args.size() % 2 == 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "keys and values must come in pairs");
        }
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
