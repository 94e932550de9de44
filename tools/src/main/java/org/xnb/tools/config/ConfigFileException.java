package org.xnb.tools.config;

import java.nio.file.Path;

/** A configuration file that cannot be used: where (path, line; 0 = the whole file) and what. */
public final class ConfigFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path path;
    private final int line;
    private final String problem;

    public ConfigFileException(Path path, int line, String problem) {
        super(path + (line > 0 ? ":" + line : "") + ": " + problem);
        this.path = path;
        this.line = line;
        this.problem = problem;
    }

    public Path path() {
        return path;
    }

    /** 1-based line number, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
