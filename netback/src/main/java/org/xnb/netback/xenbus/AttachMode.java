package org.xnb.netback.xenbus;

/** How the data path should take a frontend's rings over. */
public enum AttachMode {
    /** The frontend has just initialised its rings: start from their initial indices. */
    FRESH,
    /**
     * The frontend was already Connected when this backend started (a daemon restart): the rings
     * are live, with requests in flight, so the data path resumes them from their current
     * indices ({@code BackRing.attachLive}) instead of forcing the guest through a reconnect.
     */
    RESUME_LIVE
}
