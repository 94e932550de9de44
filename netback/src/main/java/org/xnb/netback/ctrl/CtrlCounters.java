package org.xnb.netback.ctrl;

/** What one control ring did; plain fields, written only by the ring's thread. */
public final class CtrlCounters {
    /** Requests consumed (each answered once). */
    public long requests;
    public long success;
    public long notSupported;
    public long invalidParameter;
    /** Key or mapping grant copies the hypervisor refused (answered INVALID_PARAMETER). */
    public long copyFailures;
    /** Settings snapshots handed to the queue selector. */
    public long published;
    public long notifications;
}
