/**
 * Codecs for the structures of {@code xen/io/netif.h} as they sit in shared ring slots: TX and RX
 * requests/responses, extra-info slots and the control ring.
 *
 * <h2>Copy once, then check (XSA-155)</h2>
 * The frontend can rewrite a slot at any moment, also while we are looking at it. A backend that
 * reads a field from the shared page, checks it, and reads it again to use it can be made to use
 * a value it never checked (the double-fetch bug of XSA-155; ring.h's {@code RING_COPY_REQUEST}
 * exists for it). Every request type here is therefore a <em>mutable private struct</em>: its
 * {@code readFrom} copies the whole slot out of the shared page with one or two wide loads into
 * locals, and decodes the fields from those locals only. Validation and use then work on the Java
 * fields, which the guest cannot reach. The structs are meant to be reused (one per ring), so the
 * hot path allocates nothing. Responses are written by small static writers, each a single wide
 * store where the slot allows it.
 *
 * <p>All structures are little-endian, the byte order of every CPU Xen runs on.
 */
package org.xnb.grant.netif;
