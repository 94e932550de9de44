package org.xnb.harness.xenstored;

import org.xnb.xenstore.XsPaths;

/**
 * Who sends a request: the domain a connection acts as. Dom0 is privileged (C's
 * {@code domain_is_unprivileged} is false for it); every other domain is not.
 */
record Caller(int domid) {

    boolean privileged() {
        return domid == 0;
    }

    /** C's {@code get_implicit_path}: where relative paths of this domain resolve. */
    String home() {
        return XsPaths.domainPath(domid);
    }
}
