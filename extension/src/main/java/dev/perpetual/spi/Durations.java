package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apiguardian.api.API;

/**
 * The one duration grammar of Perpetual, shared by {@link dev.perpetual.Perpetual} attributes and every
 * duration-valued configuration key: JUnit's timeout grammar {@code <number>[ns|μs|us|ms|s|m|h|d]} (a bare number
 * means seconds), compound forms such as {@code 1h30m} or {@code 1m 30s}, and ISO-8601 such as {@code PT30S}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Durations {

    /** The accepted forms, for error messages: {@value}. */
    public static final String ACCEPTED_FORMS = "a duration such as 500ms, 30s, 5m, 1h, 1h30m or PT30S "
            + "(units ns, us, ms, s, m, h, d; a bare number means seconds)";

    private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ns|μs|us|ms|s|m|h|d)\\s*");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip();
        try {
            if (BARE_NUMBER.matcher(value).matches()) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            if (value.length() > 1 && (value.charAt(0) == 'P' || value.charAt(0) == 'p')) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            return parseCompound(value, text);
        }
        catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw invalid(text);
        }
    }

    private static Duration parseCompound(String value, String text) {
        Matcher part = PART.matcher(value);
        Duration total = Duration.ZERO;
        int position = 0;
        while (position < value.length() && part.find(position) && part.start() == position) {
            total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
            position = part.end();
        }
        if (position == 0 || position != value.length()) {
            throw invalid(text);
        }
        return total;
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ns" -> Duration.ofNanos(amount);
            case "μs", "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("[" + text + "] is not " + ACCEPTED_FORMS);
    }

    /**
     * A short readable form: {@code 250ms}, {@code 10s}, {@code 1m30s}, {@code 1.5ms}, {@code 587us}. Round-trips
     * through {@link #parse} for whole milliseconds.
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = duration.toNanos();
            if (nanos < 1000) {
                return nanos + "ns";
            }
            if (nanos < 1_000_000) {
                return Math.round(nanos / 1e3) + "us";
            }
            return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms"
                    : String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
        }
        StringBuilder text = new StringBuilder();
        append(text, duration.toDaysPart(), "d");
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        append(text, duration.toMillisPart(), "ms");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }
}
