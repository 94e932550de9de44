package org.xnb.xenstore;

/**
 * One {@link XsType#WATCH_EVENT}: the node that changed (or the watched path itself when the
 * client re-fires a watch after its event queue overflowed) and the watch's token.
 */
public record WatchEvent(String path, String token) {
}
