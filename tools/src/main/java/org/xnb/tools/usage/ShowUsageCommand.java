package org.xnb.tools.usage;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-usage}: dladm show-usage over the daemon's usage journal. */
@Command(name = "show-usage", mixinStandardHelpOptions = true,
        description = {"Show link usage from the usage journal, like dladm show-usage: a summary per link, "
                + "or with LINK one row per recorded interval (LINK START END RBYTES OBYTES BANDWIDTH)."},
        footer = {"", "Examples:", "  bin/xnb show-usage", "  bin/xnb show-usage -s 12/01/2026,08:00:00 -e 12/01/2026,09:00:00 web0",
                "  bin/xnb show-usage --plot /tmp/usage.svg web0"})
public final class ShowUsageCommand implements Callable<Integer> {
    /** Where the daemon keeps the journal unless told otherwise. */
    public static final String DEFAULT_JOURNAL = "/var/lib/xnb/usage";
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM/dd/uuuu,HH:mm:ss");

    @Option(names = {"-f", "--file", "--journal"}, paramLabel = "DIR", description = "the usage journal directory: the daemon's --usage-journal (default: "
            + DEFAULT_JOURNAL + ")")
    Path journal = Path.of(DEFAULT_JOURNAL);

    @Option(names = {"-s", "--start"}, paramLabel = "MM/DD/YYYY,hh:mm:ss", description = "only intervals starting at or after this local time")
    String start;

    @Option(names = {"-e", "--stop"}, paramLabel = "MM/DD/YYYY,hh:mm:ss", description = "only intervals ending at or before this local time")
    String end;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "also draw bandwidth over time into this SVG file")
    Path plot;

    @Parameters(arity = "0..1", paramLabel = "LINK", description = "show this link's intervals")
    String link;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() throws IOException {
        long from = start == null ? Long.MIN_VALUE : parse(start, "-s");
        long to = end == null ? Long.MAX_VALUE : parse(end, "-e");
        if (!Files.isDirectory(journal)) {
            spec.commandLine().getErr().println("xnb show-usage: no usage journal at " + journal);
            return 1;
        }
        List<UsageRecord> records;
        try (UsageJournal j = UsageJournal.openForRead(journal)) {
            records = j.read(r -> r.startMillis() >= from && r.endMillis() <= to && (link == null || r.link().equals(link)));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(link == null ? UsageReport.summary(records) : UsageReport.perLink(records, link, zone));
        out.flush();
        if (plot != null) {
            Files.writeString(plot, UsagePlot.svg(records, zone), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private long parse(String text, String option) {
        try {
            return LocalDateTime.parse(text, WHEN).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + ": '" + text + "' is not a time like 12/01/2026,08:30:00 (MM/DD/YYYY,hh:mm:ss)");
        }
    }
}
