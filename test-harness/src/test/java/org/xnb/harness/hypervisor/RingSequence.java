package org.xnb.harness.hypervisor;

import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.netif.TxResponse;

/**
 * What request number {@code seq} of the cross-process ring stress carries, so that both
 * processes can check every entry they read without sharing anything but the ring.
 *
 * <pre>
 *   request slot (12 bytes):  gref = seq (low 32 bits)   offset, flags, size = 48 bits of mix(seq)
 *                             id   = seq &amp; 0xffff
 *   response slot (4 bytes):  id   = the request's id    status = seq % 3 - 1 (ERROR, OKAY, NULL)
 * </pre>
 *
 * Every byte of a request depends on {@code seq}, so a duplicated, skipped, overwritten or torn
 * slot (half of one request, half of another) fails the check of the slot it lands in.
 */
final class RingSequence {

    private RingSequence() {
    }

    /** Fills {@code request} with the contents of request number {@code seq}. */
    static TxRequest fill(TxRequest request, long seq) {
        long mix = mix(seq);
        return request.set((int) seq, (int) mix, (int) (mix >>> 16), (int) seq, (int) (mix >>> 32));
    }

    /** Null if {@code request} is request number {@code seq}, else what is wrong with it. */
    static String checkRequest(TxRequest request, long seq) {
        long mix = mix(seq);
        if (request.gref() == (int) seq && request.id() == ((int) seq & 0xffff)
                && request.offset() == ((int) mix & 0xffff) && request.flags() == ((int) (mix >>> 16) & 0xffff)
                && request.size() == ((int) (mix >>> 32) & 0xffff)) {
            return null;
        }
        return "request #" + seq + " expected, slot holds " + request;
    }

    /** The status the backend answers request number {@code seq} with. */
    static int status(long seq) {
        return (int) (seq % 3) - 1;
    }

    /** Null if {@code response} answers request number {@code seq}, else what is wrong with it. */
    static String checkResponse(TxResponse response, long seq) {
        if (response.id() == ((int) seq & 0xffff) && response.status() == status(seq)) {
            return null;
        }
        return "response #" + seq + " expected (id " + ((int) seq & 0xffff) + ", status " + status(seq)
                + "), slot holds " + response;
    }

    /** SplitMix64's finaliser: neighbouring sequence numbers get unrelated bits. */
    private static long mix(long seq) {
        long z = seq + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
