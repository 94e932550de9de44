package org.xnb.tools.config;

import java.io.IOException;
import java.nio.file.Path;

/** The configuration could not be written; the files on disk hold the previous configuration. */
public final class ConfigSaveException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public ConfigSaveException(Path path, String problem, IOException cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
