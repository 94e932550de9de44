package org.xnb.tools;

import picocli.CommandLine;

/** Prints the version recorded in the jar's manifest (or "dev" when run from classes). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"xnb " + (v == null ? "dev" : v)};
    }
}
