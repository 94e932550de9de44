package org.xnb.tools.xenstore;

import java.util.ArrayList;
import java.util.List;
import org.xnb.xenstore.Transaction;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermission;
import org.xnb.xenstore.XsPermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * xenstore-chmod: set a key's permission list ({@code n0 r5 ...}: the first entry is the
 * owner and everyone's default), optionally up to the root (-u) and/or down the tree (-r),
 * all in one transaction.
 */
@Command(name = "chmod", exitCodeOnInvalidInput = 1,
        description = "Set permissions: key followed by entries like n0 r5 w7 b9 (first = owner).",
        footer = {"", "Example:", "  bin/xnb xenstore chmod -r /local/domain/5/device n5 r0"})
final class XsChmod extends XsSubcommand {
    @Option(names = {"-u", "--upto"}, description = "Also apply to every parent up to the root.")
    boolean upto;

    @Option(names = {"-r", "--recurse"}, description = "Also apply to every child, recursively.")
    boolean recurse;

    @Parameters(index = "0", arity = "0..1", paramLabel = "key")
    String key;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "mode")
    List<String> modes;

    /** xenstore_client.c's buffer for child paths (MAX_PATH_LEN) truncates longer ones. */
    private static final int MAX_PATH_LEN = 256;
    /** Bounds -r on a pathological tree: xenstored's default maximum node depth is far lower. */
    private static final int MAX_DEPTH = 1024;

    @Override
    String mode() {
        return "chmod";
    }

    @Override
    String usage() {
        return "[-h] [-u] [-r] [-s] key <mode [modes...]>";
    }

    @Override
    boolean argsValid() {
        return key != null;
    }

    @Override
    int run(XenstoreClient client) {
        if (modes == null || modes.isEmpty()) {
            // the C tool sends SET_PERMS with no entries and xenstored answers EINVAL
            throw die("Error occurred setting permissions on '" + key + "'",
                    new XenstoreException(XsError.EINVAL, "no permissions given"));
        }
        XsPermissions perms = parse(modes);
        return inTransaction(client, true, (tx, buf) -> {
            chmod(tx, key, perms, upto, recurse, 0);
            return 0;
        });
    }

    /** atoi() of what follows the letter, as the C tool does (junk after digits ignored). */
    private XsPermissions parse(List<String> specs) {
        List<XsPermission> out = new ArrayList<>();
        for (String s : specs) {
            XsPermission.Access a;
            switch (s.isEmpty() ? '\0' : s.charAt(0)) {
                case 'n' -> a = XsPermission.Access.NONE;
                case 'r' -> a = XsPermission.Access.READ;
                case 'w' -> a = XsPermission.Access.WRITE;
                case 'b' -> a = XsPermission.Access.BOTH;
                default -> {
                    warnx("Invalid permission specification: '" + (s.isEmpty() ? "" : s.charAt(0)) + "'");
                    throw new Exit(1);
                }
            }
            out.add(new XsPermission(atoi(s.substring(1)), a));
        }
        return XsPermissions.of(out);
    }

    private static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < s.length() && i - start < 10 && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    private void chmod(Transaction tx, String path, XsPermissions perms, boolean up, boolean down, int depth) {
        if (path.isEmpty()) {
            return;
        }
        try {
            tx.setPermissions(path, perms);
        } catch (XenstoreException e) {
            throw die("Error occurred setting permissions on '" + path + "'", e);
        }
        if (up) {
            int sep = path.lastIndexOf('/');
            if (sep < 0) {
                warnx("Unable to locate path separator '/' in '" + path + "'");
                throw new Exit(1);
            }
            chmod(tx, path.substring(0, sep), perms, true, false, depth);
        }
        if (down && depth < MAX_DEPTH) {
            List<String> children;
            try {
                children = tx.directory(path);
            } catch (XenstoreException e) {
                return;
            }
            for (String c : children) {
                String child = path + "/" + c;
                if (child.length() >= MAX_PATH_LEN) {
                    child = child.substring(0, MAX_PATH_LEN - 1);
                }
                chmod(tx, child, perms, false, true, depth + 1);
            }
        }
    }
}
