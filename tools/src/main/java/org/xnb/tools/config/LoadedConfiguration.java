package org.xnb.tools.config;

import java.util.List;

/**
 * What {@link ConfigStore#load} found: the configuration to use, where it came from, and every
 * problem met on the way (for the daemon's log and {@code show-*} warnings), each naming the file,
 * the line and what was wrong.
 */
public record LoadedConfiguration(Configuration configuration, Source source, List<String> problems) {
    public enum Source {
        /** The configuration file, as written last. */
        PRIMARY,
        /** The primary was missing or unusable; the last good copy ({@code .bak}) was used. */
        BACKUP,
        /** Neither file exists: a fresh start. */
        NONE,
        /** Both files are unusable: started empty; the files are left for the operator. */
        NONE_USABLE
    }

    public LoadedConfiguration {
        problems = List.copyOf(problems);
    }
}
