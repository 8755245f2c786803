package dev.perpetual.daemon.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
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

    /** One path segment, percent-encoded ({@code /} included), ready for an {@code href} after {@link #escape}. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The run's details page. */
    static String runPath(String test, String runId) {
        return "/status/tests/" + segment(test) + "/runs/" + segment(runId);
    }

    /** {@code com.acme.CheckoutE2E$Nested} as {@code CheckoutE2E$Nested}. */
    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static String time(Instant instant) {
        return TIME.format(instant);
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
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        if (millis < 1000) {
            return Math.round(millis) + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000);
        }
        long seconds = Math.round(millis / 1000);
        return seconds / 60 + "m " + seconds % 60 + "s";
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
