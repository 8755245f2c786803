package dev.perpetual.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonPointer;
import com.sun.net.httpserver.Headers;

/**
 * Finds the correlation key in a delivery, as {@code perpetual.webhooks.key} (or a channel's own key) says:
 * {@code json:<JSON pointer>}, {@code header:<name>} or {@code regex:<pattern with one group>}.
 */
abstract class KeyExtractor {

    static final String FORMS = "json:<JSON pointer> such as json:/id, header:<name> such as "
            + "header:X-Correlation-Id, or regex:<pattern with one group> such as regex:\"ref\":\"([^\"]+)\"";

    /** The key, or {@code null} when the delivery has none. Runs for every delivery: keep it lean. */
    abstract String extract(byte[] body, Headers headers);

    /** Why {@link #extract} found no key, for failure messages. Runs only for deliveries without a key. */
    abstract String whyNoKey(byte[] body, Headers headers);

    static KeyExtractor parse(String configKey, String value) {
        String spec = value.strip();
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? "" : spec.substring(0, colon);
        String argument = colon < 0 ? "" : spec.substring(colon + 1);
        try {
            switch (kind) {
                case "json":
                    return new JsonKey(JsonPointer.compile(argument));
                case "header":
                    if (!argument.isBlank() && argument.strip().chars().allMatch(KeyExtractor::isTokenChar)) {
                        return new HeaderKey(argument.strip());
                    }
                    break;
                case "regex":
                    Pattern pattern = Pattern.compile(argument);
                    if (pattern.matcher("").groupCount() == 1) {
                        return new RegexKey(pattern);
                    }
                    break;
                default:
                    break;
            }
        }
        catch (IllegalArgumentException e) { // JsonPointer and PatternSyntaxException
            throw Settings.invalid(configKey, value, FORMS + " (" + firstLine(e) + ")");
        }
        throw Settings.invalid(configKey, value, FORMS);
    }

    private static String firstLine(IllegalArgumentException e) {
        String message = e instanceof PatternSyntaxException ? ((PatternSyntaxException) e).getDescription()
                : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** {@code header:<name>}: the first value of a request header. */
    static final class HeaderKey extends KeyExtractor {
        private final String name;

        HeaderKey(String name) {
            this.name = name;
        }

        @Override
        String extract(byte[] body, Headers headers) {
            String value = headers.getFirst(name);
            return value == null || value.isEmpty() ? null : value;
        }

        @Override
        String whyNoKey(byte[] body, Headers headers) {
            return "no header " + name;
        }
    }

    /** {@code regex:<pattern>}: group 1 of the first match in the body (as UTF-8 text). */
    static final class RegexKey extends KeyExtractor {
        private final Pattern pattern;

        RegexKey(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        String extract(byte[] body, Headers headers) {
            Matcher matcher = pattern.matcher(new String(body, StandardCharsets.UTF_8));
            if (!matcher.find()) {
                return null;
            }
            String key = matcher.group(1);
            return key == null || key.isEmpty() ? null : key;
        }

        @Override
        String whyNoKey(byte[] body, Headers headers) {
            return "the body does not match regex " + pattern.pattern();
        }
    }
}
