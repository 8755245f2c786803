package dev.perpetual.daemon.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.perpetual.daemon.internal.records.Views;

/** What the status pages share: escaping, links, readable times and durations, and their static resources. */
final class Html {

    /** Scripts and styles from this server only, no inline code: an escaped string that slipped through stays inert. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** {@code text} as HTML text or attribute value; null becomes the empty string. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        int first = 0;
        while (first < text.length() && !special(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean special(char c) {
        return c == '<' || c == '>' || c == '&' || c == '"' || c == '\'';
    }

    /** One path segment, percent-encoded ({@code /} included), ready for an {@code href} after {@link #escape}. */
    static String segment(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!unreserved(text.charAt(i))) {
                return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
            }
        }
        return text;
    }

    /** What {@link URLEncoder} leaves as it is. */
    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                || c == '*' || c == '_';
    }

    /** The run's details page. */
    static String runPath(String test, String runId) {
        return runsPath(test) + segment(runId);
    }

    /** Where the details pages of a test's runs are, each at this path and its run id. */
    static String runsPath(String test) {
        return "/status/tests/" + segment(test) + "/runs/";
    }

    /** {@code com.acme.CheckoutE2E$Nested} as {@code CheckoutE2E$Nested}. */
    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static String time(Instant instant) {
        return time(new StringBuilder(23), instant).toString();
    }

    /**
     * Appends {@code instant} as {@code 2026-12-04 10:30:00 UTC}: by hand, as {@link #TIME} would, because a status
     * page writes one per run it shows.
     */
    static StringBuilder time(StringBuilder out, Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (time.getYear() < 1000 || time.getYear() > 9999) {
            return out.append(TIME.format(instant));
        }
        out.append(time.getYear()).append('-');
        two(out, time.getMonthValue()).append('-');
        two(out, time.getDayOfMonth()).append(' ');
        two(out, time.getHour()).append(':');
        two(out, time.getMinute()).append(':');
        return two(out, time.getSecond()).append(" UTC");
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** "just now", "42s ago", "5m ago", "3h ago", "2d ago". */
    static String ago(Instant instant, Instant now) {
        long seconds = Math.max(0, Duration.between(instant, now).getSeconds());
        if (seconds < 2) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + "s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m ago";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h ago";
        }
        return seconds / 86400 + "d ago";
    }

    /** "0.4 ms", "412 ms", "2.4 s", "3m 12s". */
    static String duration(double millis) {
        if (millis < 1) {
            return tenths(millis) + " ms";
        }
        if (millis < 1000) {
            return Math.round(millis) + " ms";
        }
        if (millis < 60_000) {
            return tenths(millis / 1000) + " s";
        }
        long seconds = Math.round(millis / 1000);
        return seconds / 60 + "m " + seconds % 60 + "s";
    }

    /** {@code value} (not negative) with one decimal, rounded half up, as {@code %.1f} without a formatter. */
    static String tenths(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    static String duration(Duration duration) {
        return duration(Views.millis(duration));
    }

    /** A resource beside this class, such as {@code status/status.css}. */
    static byte[] resource(String name) {
        try (InputStream in = Html.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource [" + name + "] beside " + Html.class.getName());
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
