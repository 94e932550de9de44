package org.xnb.xenstore;

/**
 * Node-name rules of xenstored ({@code is_valid_nodename}): absolute paths start with '/',
 * never end with '/' (except the root), contain no "//", use only {@code [A-Za-z0-9-/_@]} and
 * stay within {@link XsWire#ABS_PATH_MAX}. Special watch paths start with '@'. Relative paths
 * are resolved against the connection's domain home, {@code /local/domain/<id>}.
 */
public final class XsPaths {
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    public static final String RELEASE_DOMAIN = "@releaseDomain";

    private XsPaths() {
    }

    /** The home of a domain's relative paths. */
    public static String domainPath(int domid) {
        return "/local/domain/" + domid;
    }

    /** True for the special watch paths ({@code @introduceDomain}, {@code @releaseDomain}). */
    public static boolean isSpecial(String path) {
        return path.startsWith("@");
    }

    /** True if every character is one xenstore accepts in a node name. */
    public static boolean validChars(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '/' || c == '_' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Checks an absolute path by the rules above. */
    public static boolean isValidAbsolute(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return false;
        }
        if (path.contains("//")) {
            return false;
        }
        if (path.length() > XsWire.ABS_PATH_MAX) {
            return false;
        }
        return validChars(path);
    }

    /** The parent of an absolute path ("/" for top-level nodes and for "/"). */
    public static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /** The last component of an absolute path ("" for "/"). */
    public static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Joins a directory path and a child name. */
    public static String child(String dir, String name) {
        return "/".equals(dir) ? "/" + name : dir + "/" + name;
    }

    /** True if {@code path} is {@code ancestor} or lies below it. */
    public static boolean isSelfOrDescendant(String path, String ancestor) {
        if ("/".equals(ancestor)) {
            return path.startsWith("/");
        }
        return path.equals(ancestor) || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
    }
}
