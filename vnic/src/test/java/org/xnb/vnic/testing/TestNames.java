package org.xnb.vnic.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of everything the fixture creates in the kernel, with the creating JVM's pid inside, so
 * that a sweep can tell a crashed run's leftovers (pid gone) from a concurrent run's live
 * objects (pid alive) on a machine shared by several builds.
 *
 * <pre>
 *  network namespace:  xnb-&lt;tag&gt;-&lt;pid&gt;-&lt;seq&gt;     e.g. xnb-tapit-41234-3
 *  interface (TAP):    xt&lt;pid&gt;x&lt;seq&gt;              e.g. xt41234x7   (IFNAMSIZ: at most 15 chars)
 * </pre>
 */
public final class TestNames {
    /** Only names matching this are ever removed by a sweep. */
    public static final Pattern NAMESPACE = Pattern.compile("xnb-([a-z0-9]{1,16})-(\\d{1,7})-(\\d{1,6})");
    public static final Pattern INTERFACE = Pattern.compile("xt(\\d{1,7})x(\\d{1,4})");
    private static final Pattern TAG = Pattern.compile("[a-z0-9]{1,16}");
    private static final AtomicInteger SEQ = new AtomicInteger();

    private TestNames() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** A fresh namespace name for this JVM: {@code xnb-<tag>-<pid>-<seq>}. */
    public static String namespace(String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("namespace tag must be 1-16 of [a-z0-9]: '" + tag + "'");
        }
        return "xnb-" + tag + "-" + pid() + "-" + SEQ.incrementAndGet();
    }

    /** A fresh interface name for this JVM: {@code xt<pid>x<seq>}. */
    public static String iface() {
        return "xt" + pid() + "x" + (SEQ.incrementAndGet() % 10000);
    }

    /** The creator pid in a fixture name, or -1 when the name is not one of ours. */
    public static long creatorPid(String name) {
        Matcher ns = NAMESPACE.matcher(name);
        if (ns.matches()) {
            return Long.parseLong(ns.group(2));
        }
        Matcher ifc = INTERFACE.matcher(name);
        if (ifc.matches()) {
            return Long.parseLong(ifc.group(1));
        }
        return -1;
    }
}
