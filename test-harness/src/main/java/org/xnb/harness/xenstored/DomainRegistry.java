package org.xnb.harness.xenstored;

/**
 * The domain side of the server as requests see it ({@code xenstored_domain.c}): implemented
 * by {@link XenstoredServer}, which owns the per-domain sockets.
 */
interface DomainRegistry {

    /** INTRODUCE of a domain not yet introduced; a repeated INTRODUCE is a no-op. */
    void introduce(int domid) throws XsFailure;

    /** RELEASE: ENOENT for a domain that is not introduced. */
    void release(int domid) throws XsFailure;

    boolean isIntroduced(int domid);
}
