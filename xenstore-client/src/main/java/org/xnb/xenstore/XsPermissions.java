package org.xnb.xenstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node's permission list as xenstore keeps it. The first entry names the owner and, by its
 * access letter, what every domain not listed later may do; later entries grant particular
 * domains. Printed and parsed in xenstore's {@code w0 r5 b5 n0} form.
 */
public final class XsPermissions {
    private final List<XsPermission> entries;

    private XsPermissions(List<XsPermission> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a permission list needs at least the owner entry");
        }
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
    }

    public static XsPermissions of(List<XsPermission> entries) {
        return new XsPermissions(entries);
    }

    public static XsPermissions of(XsPermission... entries) {
        return new XsPermissions(List.of(entries));
    }

    /** Owned by {@code domid}, no access for anyone else: {@code n<domid>}. */
    public static XsPermissions ownedBy(int domid) {
        return of(new XsPermission(domid, XsPermission.Access.NONE));
    }

    /** Parses space-separated entries, e.g. {@code "n0 r5"}. */
    public static XsPermissions parse(String text) {
        List<XsPermission> list = new ArrayList<>();
        for (String part : text.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                list.add(XsPermission.parse(part));
            }
        }
        return new XsPermissions(list);
    }

    /** Parses the list form of a GET_PERMS reply (one entry per NUL-terminated string). */
    public static XsPermissions fromStrings(List<String> parts) {
        List<XsPermission> list = new ArrayList<>(parts.size());
        for (String p : parts) {
            list.add(XsPermission.parse(p));
        }
        return new XsPermissions(list);
    }

    public List<XsPermission> entries() {
        return entries;
    }

    public int owner() {
        return entries.get(0).domid();
    }

    /** The access everyone not listed gets: the owner entry's letter. */
    public XsPermission.Access defaultAccess() {
        return entries.get(0).access();
    }

    /**
     * What {@code domid} may do on a node with these permissions, for an unprivileged domain
     * (dom0 and the owner may do everything; callers check privilege first).
     */
    public XsPermission.Access accessFor(int domid) {
        if (domid == owner()) {
            return XsPermission.Access.BOTH;
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).domid() == domid) {
                return entries.get(i).access();
            }
        }
        return defaultAccess();
    }

    /** Entry strings as sent in SET_PERMS or returned by GET_PERMS. */
    public String[] toStrings() {
        String[] out = new String[entries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.get(i).toString();
        }
        return out;
    }

    /** {@code w0 r5}: the form xenstore-chmod accepts. */
    @Override
    public String toString() {
        return String.join(" ", toStrings());
    }

    /** {@code w0,r5}: the form {@code xenstore-ls -p} prints inside parentheses. */
    public String toCommaString() {
        return String.join(",", toStrings());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XsPermissions p && p.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
