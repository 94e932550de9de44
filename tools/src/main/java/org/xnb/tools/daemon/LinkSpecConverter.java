package org.xnb.tools.daemon;

import org.xnb.netback.link.LinkSpec;
import picocli.CommandLine;

/** {@code --link} values: picocli reports the parser's message as "Invalid value for option '--link': ...". */
final class LinkSpecConverter implements CommandLine.ITypeConverter<LinkSpec> {
    @Override
    public LinkSpec convert(String value) {
        try {
            return LinkSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
