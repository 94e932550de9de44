package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-etherstub}: the etherstubs of the running daemon. */
@Command(name = "show-etherstub", mixinStandardHelpOptions = true,
        description = {"Show the etherstubs of the running daemon (made by create-etherstub, --link NAME=etherstub, "
                + "or by a vif naming a link that is no Linux bridge).",
                "Fields: LINK VNICS (the VNICs and vifs on it, comma-separated, -- for none)."},
        footer = {"", "Examples:", "  bin/xnb show-etherstub", "  bin/xnb show-etherstub -p -o LINK",
                "  bin/xnb show-etherstub stub0"})
public final class ShowEtherstubCommand extends AdminCommand {
    static final List<String> DEFAULT_FIELDS = List.of("LINK");

    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields to print: LINK,VNICS or all.")
    String fields;

    @Parameters(arity = "0..1", paramLabel = "ETHERSTUB", description = "Only this etherstub.")
    String link;

    @Override
    Integer run() {
        checkParseable(parseable, fields, AdminDispatcher.ETHERSTUB_FIELDS);
        List<String> f = FieldTable.select(fields, AdminDispatcher.ETHERSTUB_FIELDS, DEFAULT_FIELDS);
        List<Map<String, String>> rows = ask(AdminRequest.of(AdminRequest.SHOW_ETHERSTUB, link));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
