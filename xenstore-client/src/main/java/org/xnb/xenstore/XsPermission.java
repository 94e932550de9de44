package org.xnb.xenstore;

/**
 * One entry of a node's permission list, printed as xenstore prints it: a letter for the access
 * followed by the domain id, e.g. {@code r5}.
 */
public record XsPermission(int domid, Access access) {

    /** The four access letters of xenstore. */
    public enum Access {
        NONE('n'), READ('r'), WRITE('w'), BOTH('b');

        private final char letter;

        Access(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        public boolean canRead() {
            return this == READ || this == BOTH;
        }

        public boolean canWrite() {
            return this == WRITE || this == BOTH;
        }

        public static Access fromLetter(char c) {
            for (Access a : values()) {
                if (a.letter == c) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown permission letter '" + c
                    + "' (allowed: n, r, w, b)");
        }
    }

    public XsPermission {
        if (domid < 0 || domid > 0xffff) {
            throw new IllegalArgumentException("domain id out of range 0..65535: " + domid);
        }
        if (access == null) {
            throw new IllegalArgumentException("access is required");
        }
    }

    /** Parses {@code r5}, {@code w0}, {@code b12}, {@code n0}. */
    public static XsPermission parse(String s) {
        if (s == null || s.length() < 2) {
            throw new IllegalArgumentException("bad permission '" + s + "' (expected a letter n/r/w/b then a domain id, e.g. r5)");
        }
        Access a = Access.fromLetter(s.charAt(0));
        int domid;
        try {
            domid = Integer.parseInt(s.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad domain id in permission '" + s + "'");
        }
        return new XsPermission(domid, a);
    }

    @Override
    public String toString() {
        return access.letter() + Integer.toString(domid);
    }
}
