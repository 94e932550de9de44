package org.xnb.tools.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the admin socket is: {@code --admin-socket PATH}, else {@code $XNB_ADMIN_SOCKET}, else the
 * daemon's default {@value #DEFAULT} if it exists, else the harness's ({@code harness up}'s
 * directory, {@value #HARNESS_DEFAULT}) if that exists, else {@value #DEFAULT} (whose absence the
 * error then names).
 */
public final class AdminSocketPath {
    public static final String DEFAULT = "/run/xnb/admin.sock";
    public static final String HARNESS_DEFAULT = "/run/xnb-harness/admin.sock";
    public static final String ENV = "XNB_ADMIN_SOCKET";
    /** The daemon's file name in its harness directory. */
    public static final String HARNESS_FILE = "admin.sock";

    private AdminSocketPath() {
    }

    public static Path resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return option;
        }
        String e = env.get(ENV);
        if (e != null && !e.isEmpty()) {
            return Path.of(e);
        }
        if (!Files.exists(Path.of(DEFAULT)) && Files.exists(Path.of(HARNESS_DEFAULT))) {
            return Path.of(HARNESS_DEFAULT);
        }
        return Path.of(DEFAULT);
    }
}
