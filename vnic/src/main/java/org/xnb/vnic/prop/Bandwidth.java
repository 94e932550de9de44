package org.xnb.vnic.prop;

import java.math.BigDecimal;

/**
 * The {@code maxbw} property: a bandwidth in bits per second, written as dladm writes it. A number
 * with a scale suffix {@code K}, {@code M} or {@code G} (kbit/s, Mbit/s, Gbit/s, powers of 1000,
 * either case); a plain number is Mbit/s. A fraction is allowed ({@code 1.5G}), as libdladm's
 * {@code dladm_str2bw} reads the number with {@code strtod}.
 *
 * <p>The smallest limit is 1.2 Mbit/s, illumos' {@code MRP_MAXBW_MINVAL} ("1 MTU per tick").
 * Unlike illumos, {@code 0} is refused: "no limit" is the absence of the property
 * ({@code reset-linkprop}), not a value. The largest is 400 Gbit/s, far above anything this
 * backend moves, so a typo such as {@code 100000G} is caught.
 */
public final class Bandwidth {
    public static final long MIN_BITS_PER_SECOND = 1_200_000L;
    public static final long MAX_BITS_PER_SECOND = 400_000_000_000L;
    static final String ALLOWED = "a number with K, M or G (kbit/s, Mbit/s, Gbit/s; no suffix = Mbit/s),"
            + " from 1.2M to 400G, e.g. 100M";

    private Bandwidth() {
    }

    /** Parses a maxbw value into bits per second. */
    public static long parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new PropertyException("maxbw: empty value; expected " + ALLOWED);
        }
        long scale;
        String number;
        char last = text.charAt(text.length() - 1);
        switch (last) {
            case 'k', 'K' -> scale = 1_000L;
            case 'm', 'M' -> scale = 1_000_000L;
            case 'g', 'G' -> scale = 1_000_000_000L;
            default -> scale = -1;
        }
        if (scale > 0) {
            number = text.substring(0, text.length() - 1);
        } else if (Character.isDigit(last) || last == '.') {
            number = text;
            scale = 1_000_000L;
        } else if (text.substring(0, text.length() - 1).matches("[0-9.]+")) {
            throw new PropertyException("maxbw: unknown unit '" + last + "' in '" + text + "'; expected " + ALLOWED);
        } else {
            throw new PropertyException("maxbw: '" + text + "' is not a bandwidth; expected " + ALLOWED);
        }
        if (number.isEmpty() || !number.matches("[0-9]{1,15}(\\.[0-9]{1,9})?|\\.[0-9]{1,9}")) {
            throw new PropertyException("maxbw: '" + text + "' is not a bandwidth; expected " + ALLOWED);
        }
        BigDecimal bits = new BigDecimal(number).multiply(BigDecimal.valueOf(scale));
        if (bits.compareTo(BigDecimal.valueOf(MIN_BITS_PER_SECOND)) < 0) {
            throw new PropertyException("maxbw: " + text + " is below the minimum of 1.2M (1.2 Mbit/s);"
                    + " to remove a limit, reset the property");
        }
        if (bits.compareTo(BigDecimal.valueOf(MAX_BITS_PER_SECOND)) > 0) {
            throw new PropertyException("maxbw: " + text + " is above the maximum of 400G");
        }
        return bits.longValue();
    }

    /**
     * Formats bits per second as dladm's show-linkprop prints maxbw: in Mbit/s, with up to three
     * decimals when not whole ({@code 100}, {@code 1.5}).
     */
    public static String formatMbps(long bitsPerSecond) {
        BigDecimal mbps = BigDecimal.valueOf(bitsPerSecond).movePointLeft(6).stripTrailingZeros();
        if (mbps.scale() > 3) {
            mbps = mbps.setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        }
        return mbps.scale() < 0 ? mbps.setScale(0).toPlainString() : mbps.toPlainString();
    }
}
