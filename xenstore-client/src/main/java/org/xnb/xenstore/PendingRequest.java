package org.xnb.xenstore;

import java.util.concurrent.CompletableFuture;

/**
 * A request sent and not yet answered: the future its reply completes, plus what is needed
 * to check the reply's type and to word an error ({@code ENOENT: READ /a/b}).
 */
final class PendingRequest extends CompletableFuture<XsMessage> {
    final XsType type;
    final String subject;
    /** System.nanoTime() when created; used to expire requests xenstored never answers. */
    final long createdNanos = System.nanoTime();

    PendingRequest(XsType type, String subject) {
        this.type = type;
        this.subject = subject;
    }

    /** Completes from a reply: the message itself, or its ERROR as a XenstoreException. */
    void completeFrom(XsMessage reply) {
        int code = reply.typeCode();
        if (code == XsType.ERROR.code()) {
            completeExceptionally(new XenstoreException(reply.payloadString(), describe()));
        } else if (code != type.code()) {
            XsType got = XsType.fromCode(code);
            completeExceptionally(new XenstoreConnectionException("protocol error: xenstored answered "
                    + describe() + " with " + (got == null ? "type #" + code : got.name())));
        } else {
            complete(reply);
        }
    }

    String describe() {
        return subject == null ? type.name() : type.name() + " " + subject;
    }
}
