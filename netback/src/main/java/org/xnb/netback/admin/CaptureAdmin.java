package org.xnb.netback.admin;

/** snoop against a running backend: a tap on one VNIC's lane, both directions. */
public interface CaptureAdmin {

    /**
     * Attaches {@code capture} to {@code link}'s lane; closing the result detaches it.
     *
     * @throws LinkAdminException for an unknown link or one that a snoop already taps
     */
    Tap capture(String link, FrameCapture capture);

    /** An attached capture. */
    interface Tap extends AutoCloseable {
        /** Whether the link is still there (false once its vif disconnected: nothing more comes). */
        boolean live();

        /** Detaches the capture. */
        @Override
        void close();
    }
}
