package org.xnb.tools.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import picocli.CommandLine;

/**
 * {@code xnb completion}'s script loaded into a real bash: completing a partial word (as bash
 * does on TAB: COMP_WORDS, COMP_CWORD, then the function {@code complete} registered for xnb)
 * gives the subcommands and options of picocli's tree.
 */
class CompletionBashIT {
    @TempDir
    static Path dir;
    static Path script;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("completion"));
        script = dir.resolve("xnb-completion.bash");
        Files.writeString(script, out.toString(), StandardCharsets.UTF_8);
    }

    /** What bash offers for the last of {@code words} (the command line as bash splits it). */
    private static List<String> complete(String... words) throws Exception {
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append('\'').append(w).append("' ");
        }
        String line = String.join(" ", words);
        String program = "source '" + script + "'\n"
                + "fn=$(complete -p xnb | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n" // the function registered for xnb
                + "[ -n \"$fn\" ] || { echo 'no completion registered for xnb' >&2; exit 3; }\n"
                + "COMP_WORDS=(" + arr + ")\nCOMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n"
                + "\"$fn\" xnb '" + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p;
        try {
            p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).start();
        } catch (IOException e) {
            fail("bash is needed to test the completion script: " + e.getMessage());
            return List.of();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "bash: " + err);
        return out.lines().filter(s -> !s.isEmpty()).sorted().toList();
    }

    @Test
    void aPartialSubcommandCompletesToTheCommand() throws Exception {
        assertEquals(List.of("show-usage"), complete("xnb", "show-u"));
        assertEquals(List.of("daemon", "delete-etherstub", "delete-vnic", "demo", "detach", "dlstat"), complete("xnb", "d"));
    }

    @Test
    void optionsAndNestedSubcommandsComplete() throws Exception {
        assertEquals(List.of("--usage-interval", "--usage-journal"), complete("xnb", "daemon", "--usage-"));
        assertEquals(List.of("watch", "write"), complete("xnb", "xenstore", "w"));
        assertEquals(List.of("--journal"), complete("xnb", "show-usage", "--jou"));
    }
}
