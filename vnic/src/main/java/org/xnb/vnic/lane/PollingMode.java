package org.xnb.vnic.lane;

import java.util.Locale;

/**
 * Whether a lane may switch between interrupt and poll mode ({@link PollingPolicy#mode()}).
 * DYNAMIC is Crossbow's dynamic polling and the default; the two fixed modes exist to measure it
 * against ({@code xnb bench lanes}) and for operators who want one behaviour only.
 */
public enum PollingMode {
    /** Interrupt mode until a batch is large or arrivals are frequent, back after a quiet period. */
    DYNAMIC("dynamic"),
    /** Never poll mode: every empty batch arms notifications and blocks (only an empty bucket still suppresses them). */
    INTERRUPT_ONLY("interrupt-only"),
    /** Poll mode from the first step on: never arms notifications, never blocks; an empty poll backs off. */
    POLL_ONLY("poll-only");

    private final String text;

    PollingMode(String text) {
        this.text = text;
    }

    /** As the property {@code xnb.lane.mode} and the bench print it. */
    public String text() {
        return text;
    }

    /** {@code dynamic}, {@code interrupt-only} or {@code poll-only} (any case). */
    public static PollingMode parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (PollingMode m : values()) {
            if (m.text.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not a polling mode; allowed: dynamic, interrupt-only, poll-only");
    }
}
