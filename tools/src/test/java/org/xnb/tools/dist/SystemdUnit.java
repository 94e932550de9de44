package org.xnb.tools.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tools/src/main/dist/xnb.service} read as systemd reads it: sections of key=value lines. */
final class SystemdUnit {
    /** The unit in the repository (tests run in the tools module's directory). */
    static final Path FILE = Path.of("src", "main", "dist", "xnb.service");

    /** section -> key -> values (a key may repeat; systemd joins list-valued keys). */
    final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

    static SystemdUnit read() throws IOException {
        SystemdUnit u = new SystemdUnit();
        Map<String, List<String>> current = null;
        int n = 0;
        for (String raw : Files.readAllLines(FILE)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = u.sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0 || line.endsWith("\\")) {
                throw new IllegalArgumentException(FILE + ":" + n + ": not a key=value line in a section: " + raw);
            }
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return u;
    }

    /** The one value of a key (fails if absent or repeated). */
    String one(String section, String key) {
        List<String> v = sections.getOrDefault(section, Map.of()).get(key);
        if (v == null || v.size() != 1) {
            throw new AssertionError("[" + section + "] " + key + "= should be set once in " + FILE + ", is " + v);
        }
        return v.get(0);
    }

    /** The space-separated words of every occurrence of a list key. */
    List<String> words(String section, String key) {
        List<String> out = new ArrayList<>();
        for (String v : sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of())) {
            out.addAll(List.of(v.split("\\s+")));
        }
        return out;
    }
}
