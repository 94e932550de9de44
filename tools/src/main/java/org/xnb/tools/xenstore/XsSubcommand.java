package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.TransportLocator;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import picocli.CommandLine;

/**
 * What every xenstore mode shares with {@code main()} of xenstore_client.c: connecting,
 * messages in {@code err(3)} style prefixed with the tool's name ({@code xenstore-read: ...}),
 * and the transaction loop that re-runs the whole operation when the commit says EAGAIN and
 * prints the buffered output only at the end.
 */
abstract class XsSubcommand implements Callable<Integer> {
    /** The C loop is unbounded; a conflicting store this busy is a bug worth reporting. */
    static final int MAX_TRANSACTION_ATTEMPTS = 64;

    @CommandLine.ParentCommand
    XenstoreCommand parent;

    @CommandLine.Option(names = {"-s", "--socket"}, description = "Accepted for compatibility; the "
            + "connection is always chosen like xs_open() does.")
    boolean socket;

    @CommandLine.Option(names = "-h", description = "Print the one-line usage and exit 1, as Debian's tools do.")
    boolean shortUsage;

    @CommandLine.Option(names = "--help", usageHelp = true, description = "Show this help and exit 0.")
    boolean help;

    /** Thrown to end the command with a status after a message was printed (errx()). */
    static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Exit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    abstract String mode();

    /** The usage line of Debian's tool for this mode, after the program name. */
    abstract String usage();

    /** The argument count check main() does before connecting. */
    abstract boolean argsValid();

    /** Runs the mode; returns its exit status. */
    abstract int run(XenstoreClient client) throws Exception;

    @Override
    public final Integer call() {
        if (shortUsage || !argsValid()) {
            return errx("Usage: xnb xenstore " + mode() + " " + usage());
        }
        XenstoreClient client;
        try {
            client = XenstoreClient.open(parent.env);
        } catch (IOException e) {
            return errx("xs_open: " + e.getMessage());
        }
        try (client) {
            return run(client);
        } catch (Exit e) {
            return e.status;
        } catch (Exception e) {
            return errx(e instanceof XenstoreException ? e.getMessage() : String.valueOf(e.getMessage()));
        } finally {
            out().flush();
        }
    }

    PrintStream out() {
        return parent.out;
    }

    /** {@code warnx()}: "xenstore-mode: message" on stderr. */
    void warnx(String msg) {
        out().flush();
        parent.err.println("xenstore-" + mode() + ": " + msg);
        parent.err.flush();
    }

    /** {@code errx(1, ...)}: prints and yields status 1. */
    int errx(String msg) {
        warnx(msg);
        return 1;
    }

    /** {@code err(1, ...)} for a failed store call: the message, then the error text. */
    Exit die(String msg, Throwable cause) {
        warnx(msg + ": " + Errno.strerror(cause));
        return new Exit(1);
    }

    /** One pass of the operation: writes output to {@code buf}, returns the status. */
    interface Perform {
        int run(Transaction tx, ByteArrayOutputStream buf);
    }

    /**
     * {@code main()}'s "again:" loop: start a transaction if asked, run, end it (commit when
     * the pass returned 0, abort otherwise), and on EAGAIN with status 0 run again from a
     * clean buffer. The buffered output is printed whatever the status, as the C code does.
     */
    int inTransaction(XenstoreClient client, boolean transaction, Perform perform) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int attempt = 1; ; attempt++) {
            buf.reset();
            int tx = 0;
            if (transaction) {
                try {
                    tx = client.transactionStart();
                } catch (XenstoreException e) {
                    return errx("couldn't start transaction");
                }
            }
            int ret = perform.run(client.inTransaction(tx), buf);
            if (transaction) {
                try {
                    client.transactionEnd(tx, ret == 0);
                } catch (XenstoreException e) {
                    if (ret == 0 && e.error() == XsError.EAGAIN && attempt < MAX_TRANSACTION_ATTEMPTS) {
                        continue;
                    }
                    return errx("couldn't end transaction");
                }
            }
            out().write(buf.toByteArray(), 0, buf.size());
            return ret;
        }
    }

    static void print(ByteArrayOutputStream buf, String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
