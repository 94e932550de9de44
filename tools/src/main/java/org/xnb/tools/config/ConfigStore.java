package org.xnb.tools.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The configuration file ({@code xnb.conf}) and its last good copy ({@code xnb.conf.bak}) in one
 * directory.
 *
 * <p>{@link #save}: if the current file is good, it becomes the {@code .bak} (itself replaced
 * durably); a current file that is not good (corrupt, or from a newer xnb) is moved aside to
 * {@code .rejected} instead, so the {@code .bak} always holds a good copy and nothing the operator
 * may want is overwritten silently; then the new content replaces the file through
 * {@link DurableFiles#replace}. A crash at any step leaves a good file under one of the two names.
 *
 * <p>{@link #load}: the file if good, else the {@code .bak} if good, else empty; every problem is
 * reported with path, line and what is wrong. A leftover temporary file from a crash is ignored.
 * Not thread-safe: the daemon owns one and saves from one thread.
 */
public final class ConfigStore {
    private final Path file;
    private final int availableCpus;

    public ConfigStore(Path file, int availableCpus) {
        this.file = Objects.requireNonNull(file, "file");
        this.availableCpus = availableCpus;
    }

    public ConfigStore(Path file) {
        this(file, Runtime.getRuntime().availableProcessors());
    }

    public Path file() {
        return file;
    }

    public Path backup() {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    public Path rejected() {
        return file.resolveSibling(file.getFileName() + ".rejected");
    }

    public LoadedConfiguration load() {
        List<String> problems = new ArrayList<>();
        Configuration primary = tryRead(file, problems);
        if (primary != null) {
            return new LoadedConfiguration(primary, LoadedConfiguration.Source.PRIMARY, problems);
        }
        boolean primaryExists = Files.exists(file);
        Configuration bak = tryRead(backup(), problems);
        if (bak != null) {
            problems.add((primaryExists ? "using the last good copy " : file + " is missing; using the last good copy ")
                    + backup());
            return new LoadedConfiguration(bak, LoadedConfiguration.Source.BACKUP, problems);
        }
        if (!primaryExists && !Files.exists(backup())) {
            return new LoadedConfiguration(Configuration.EMPTY, LoadedConfiguration.Source.NONE, problems);
        }
        problems.add("no usable configuration in " + file + " or " + backup() + "; starting empty, files left as they are");
        return new LoadedConfiguration(Configuration.EMPTY, LoadedConfiguration.Source.NONE_USABLE, problems);
    }

    /** Reads and parses one file; null (and a problem noted, unless it just does not exist) if unusable. */
    private Configuration tryRead(Path p, List<String> problems) {
        try {
            return read(p);
        } catch (NoSuchFileException e) {
            return null;
        } catch (ConfigFileException e) {
            problems.add(e.getMessage());
            return null;
        } catch (IOException e) {
            problems.add(p + ": cannot read: " + describe(e));
            return null;
        }
    }

    /** Reads one file strictly: UTF-8, parsed and validated. */
    public Configuration read(Path p) throws IOException, ConfigFileException {
        byte[] bytes = Files.readAllBytes(p);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigFileException(p, 0, "not UTF-8 text (binary garbage?)");
        }
        return ConfigFormat.parse(text, p, availableCpus);
    }

    /**
     * Durably replaces the configuration. On failure (e.g. permission denied) the files on disk are
     * as before and the exception names the path and the reason.
     */
    public void save(Configuration c) throws ConfigSaveException {
        byte[] content = ConfigFormat.write(c).getBytes(StandardCharsets.UTF_8);
        Path step = file;
        try {
            if (Files.exists(file)) {
                boolean good;
                try {
                    read(file);
                    good = true;
                } catch (ConfigFileException e) {
                    good = false;
                }
                if (good) {
                    step = backup();
                    DurableFiles.replace(backup(), Files.readAllBytes(file));
                } else {
                    step = rejected();
                    Files.move(file, rejected(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            step = file;
            DurableFiles.replace(file, content);
        } catch (IOException e) {
            throw new ConfigSaveException(step, "cannot write: " + describe(e), e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + " (" + fse.getFile() + ")";
        }
        return e.toString();
    }
}
