package org.xnb.netback.xenbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The numbers of {@code xen/io/xenbus.h} and Linux's reading of a bad {@code state} node. */
class XenbusStateTest {

    @Test
    void xenbusStateCodesFollowTheHeader() {
        assertEquals(XenbusState.INIT_WAIT, XenbusState.parse("2"));
        assertEquals(XenbusState.RECONFIGURED, XenbusState.ofCode(8));
        assertEquals(6, XenbusState.CLOSED.code());
        assertEquals(XenbusState.UNKNOWN, XenbusState.parse("9"));
        assertEquals(XenbusState.UNKNOWN, XenbusState.parse("banana"));
        assertEquals(XenbusState.UNKNOWN, XenbusState.parse(null));
    }
}
