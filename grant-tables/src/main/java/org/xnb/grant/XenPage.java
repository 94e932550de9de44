package org.xnb.grant;

/** The 4 KiB page every grant, ring and copy segment is measured against. */
public final class XenPage {
    public static final int SIZE = 4096;
    public static final int SHIFT = 12;

    private XenPage() {
    }
}
