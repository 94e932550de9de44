package org.xnb.harness.xenstored;

/**
 * One registered watch.
 *
 * @param path          canonical (absolute or '@') path watched
 * @param token         the client's token, returned in every event
 * @param relativeHome  the home the path was relative to when registered, or {@code null};
 *                      events then carry paths relative to it too ({@code get_watch_path})
 */
record Watch(String path, String token, String relativeHome) {

    /** The path as this watch's events report it. */
    String eventPath(String changed) {
        if (relativeHome == null || !changed.startsWith(relativeHome)) {
            return changed;
        }
        String p = changed.substring(relativeHome.length());
        return p.startsWith("/") ? p.substring(1) : p;
    }

    /** C's {@code is_child(changed, watch)}: changed is the watched node or below it. */
    boolean covers(String changed) {
        if ("/".equals(path)) {
            return true;
        }
        return changed.startsWith(path)
                && (changed.length() == path.length() || changed.charAt(path.length()) == '/');
    }
}
