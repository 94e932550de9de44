package org.xnb.xenstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Lists a directory whose child list does not fit one reply, with XS_DIRECTORY_PART, as
 * libxenstore's {@code xs_directory_part()} does (used only after DIRECTORY said E2BIG).
 *
 * <pre>
 *   request:  path \0 offset \0          offset = bytes of child list received so far
 *   reply:    generation \0 name \0 name \0 ... [\0]
 *                                        an extra \0 (empty name) marks the last chunk
 * </pre>
 *
 * xenstored ({@code send_directory_part()}) returns the node's generation count with every
 * chunk; if it differs from the first chunk's, the node changed in between and the listing
 * starts again from offset 0 (at most {@code maxRestarts} times here; libxenstore has no
 * bound). ENOSYS (an old xenstored) is reported as E2BIG, as libxenstore does.
 */
final class DirectoryPartReader {
    /** 4096-byte chunks of a child list that can at most be the whole store: a generous cap. */
    private static final int MAX_CHUNKS = 1 << 16;

    private final XenstoreClient client;
    private final int txId;
    private final String path;
    private final int maxRestarts;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final CompletableFuture<List<String>> result = new CompletableFuture<>();
    private String generation;
    private int restarts;
    private int chunks;

    DirectoryPartReader(XenstoreClient client, int txId, String path, int maxRestarts) {
        this.client = client;
        this.txId = txId;
        this.path = path;
        this.maxRestarts = maxRestarts;
    }

    CompletableFuture<List<String>> start() {
        request(0);
        return result;
    }

    private void request(int offset) {
        if (++chunks > MAX_CHUNKS) {
            result.completeExceptionally(new XenstoreException(XsError.E2BIG, "DIRECTORY_PART " + path
                    + ": more than " + MAX_CHUNKS + " chunks"));
            return;
        }
        CompletableFuture<XsMessage> f;
        try {
            f = client.send(XsType.DIRECTORY_PART, txId,
                    XsMessage.nulJoined(path, Integer.toString(offset)), path);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        f.whenComplete((m, ex) -> {
            if (ex != null) {
                Throwable c = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                if (c instanceof XenstoreException xe && xe.error() == XsError.ENOSYS) {
                    c = new XenstoreException(XsError.E2BIG, "DIRECTORY_PART " + path + " not supported");
                }
                result.completeExceptionally(c);
            } else {
                onChunk(offset, m.payload());
            }
        });
    }

    private void onChunk(int offset, byte[] p) {
        int genEnd = indexOfNul(p, 0);
        if (genEnd < 0) {
            result.completeExceptionally(new XenstoreConnectionException(
                    "protocol error: DIRECTORY_PART reply without a generation count"));
            return;
        }
        String gen = new String(p, 0, genEnd, StandardCharsets.US_ASCII);
        if (offset == 0) {
            generation = gen;
        } else if (!gen.equals(generation)) {
            if (++restarts > maxRestarts) {
                result.completeExceptionally(new XenstoreException(XsError.EAGAIN, "DIRECTORY_PART " + path
                        + ": node changed " + restarts + " times while listing"));
                return;
            }
            strings.reset();
            request(0);
            return;
        }
        strings.write(p, genEnd + 1, p.length - genEnd - 1);
        int off = strings.size();
        byte[] all = strings.toByteArray();
        if (off <= 1 || all[off - 2] == 0) {
            result.complete(split(all, off > 1 ? off - 1 : 0));
        } else {
            request(off);
        }
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** NUL-terminated names in {@code b[0, len)}. */
    private static List<String> split(byte[] b, int len) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == 0) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }
}
