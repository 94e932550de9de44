package org.xnb.tools.xenstore;

import java.io.PrintStream;
import java.util.List;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * xenstore-ls: the tree below a path, as {@code do_ls()} prints it:
 *
 * <pre>
 *   name = "value"                       indented one space per level
 *   name = "value" . . . . . .  (n0,r5)  with -p, dotted out to column 60
 *   /full/path = "value"                 with -f
 * </pre>
 *
 * Lines are cut to the terminal width minus 2 (80 when output is not a terminal, as when
 * the C tool's {@code TIOCGWINSZ} fails); a cut value ends in {@code \...}. No transaction, output is not buffered (like the C tool).
 */
@Command(name = "ls", exitCodeOnInvalidInput = 1,
        description = "Print the tree below a path (default /).",
        footer = {"", "Example:", "  bin/xnb xenstore ls -p /local/domain/0/backend"})
final class XsLs extends XsSubcommand {
    private static final int TAG_LEN = " = \"...\"".length();

    @Option(names = {"-f", "--flat"}, description = "Print full paths, never cut lines.")
    boolean flat;

    @Option(names = {"-p", "--prefix"}, description = "Show permissions.")
    boolean perms;

    @Parameters(arity = "0..*", paramLabel = "path")
    List<String> paths;

    private int maxWidth = 80;
    private int desiredWidth = 60;

    @Override
    String mode() {
        return "ls";
    }

    @Override
    String usage() {
        return "[-h] [-f] [-p] [-s] [path]";
    }

    @Override
    boolean argsValid() {
        return true;
    }

    @Override
    int run(XenstoreClient client) {
        if (flat) {
            maxWidth = Integer.MAX_VALUE / 2;
            desiredWidth = 0;
        } else if (System.console() != null && parent.out == System.out) {
            int cols = TerminalWidth.columns(parent.env);
            if (cols > 0) {
                maxWidth = cols - 2;
            }
        }
        for (String p : paths == null || paths.isEmpty() ? List.of("/") : paths) {
            ls(client, p, 0);
        }
        return 0;
    }

    /** printf("%.*s", n, s): a negative precision means no limit. */
    private static String upTo(String s, int n) {
        return n < 0 || n >= s.length() ? s : s.substring(0, n);
    }

    private void ls(XenstoreClient client, String path, int depth) {
        List<String> names;
        try {
            names = client.directory(path);
        } catch (XenstoreException e) {
            if (depth > 0 && e.error() == XsError.ENOENT) {
                return; // a node vanished while walking: move on silently
            }
            throw die("xs_directory (" + path + ")", e);
        }
        PrintStream out = out();
        for (String name : names) {
            String full = path + (path.endsWith("/") ? "" : "/") + name;
            StringBuilder line = new StringBuilder();
            int linewid = 0;
            if (flat) {
                line.append(full);
            } else {
                line.append(" ".repeat(depth));
                linewid = depth;
                String shown = upTo(name, maxWidth - TAG_LEN - linewid);
                line.append(shown);
                linewid += shown.length();
            }
            byte[] val;
            try {
                val = client.read(full);
            } catch (XenstoreException e) {
                val = null;
            }
            if (val == null) {
                line.append(":\n");
            } else {
                String s = ValueEscaping.sanitise(val);
                if (maxWidth < linewid + val.length + TAG_LEN) {
                    line.append(" = \"").append(upTo(s, maxWidth - TAG_LEN - linewid)).append("\\...\"");
                } else {
                    line.append(" = \"").append(s).append('"');
                    linewid += s.length() + 5;
                    if (perms) {
                        line.append(' ');
                        for (linewid++; linewid < Math.min(desiredWidth, maxWidth); linewid++) {
                            line.append((linewid & 1) != 0 ? '.' : ' ');
                        }
                    }
                }
            }
            out.print(line);
            if (perms) {
                try {
                    XsPermissions p = client.getPermissions(full);
                    out.print("  (" + p.toCommaString() + ")");
                } catch (XenstoreException e) {
                    warnx("\ncould not access permissions for " + name + ": " + Errno.strerror(e));
                }
            }
            out.print('\n');
            ls(client, full, depth + 1);
        }
    }
}
