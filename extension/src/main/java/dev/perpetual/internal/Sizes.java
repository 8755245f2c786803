package dev.perpetual.internal;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * The one size grammar of Perpetual's configuration, {@code 65536}, {@code 512KiB}, {@code 1 MiB} or {@code 2GiB},
 * and the way sizes are written back for people.
 */
public final class Sizes {

    /** The accepted forms, for error messages: {@value}. */
    public static final String FORMS = "a size in bytes such as 65536, or a number with KiB, MiB or GiB such as "
            + "512KiB or 1MiB";

    private static final String[] UNITS = { "KiB", "MiB", "GiB" };

    private Sizes() {
    }

    /** The bytes {@code text} stands for, 0 or more; empty when it is not in the grammar. */
    public static OptionalLong parse(String text) {
        String number = text.strip();
        long unit = 1;
        for (int i = 0; i < UNITS.length; i++) {
            if (number.endsWith(UNITS[i])) {
                unit = 1L << (10 * (i + 1));
                number = number.substring(0, number.length() - UNITS[i].length()).strip();
                break;
            }
        }
        if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(number) * unit); // at most 9 digits times 2^30: no overflow
    }

    /** {@code bytes} for people: {@code 12 B}, {@code 8 KiB}, {@code 9.5 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = String.format(Locale.ROOT, "%.1f", value);
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + " " + UNITS[unit];
    }
}
