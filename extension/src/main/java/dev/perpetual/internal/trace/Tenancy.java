package dev.perpetual.internal.trace;

import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The tenancy runs carry in their baggage, {@link Constants#TENANCY}: a label value for the system under test's
 * metrics and routing, so a bounded alphabet and length.
 */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.INTERNAL, since = "0.1")
public record Tenancy(String value) {

    /** What a tenancy may be made of, for messages. */
    static final String FORM = "1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'";

    /** The configured tenancy, or the default; a bad value fails naming the key, the value and the fix. */
    public static Tenancy from(Function<String, Optional<String>> config) {
        Optional<String> configured = config.apply(Constants.TENANCY);
        if (configured.isEmpty()) {
            return new Tenancy(Constants.TENANCY_VALUE);
        }
        String value = configured.get().strip();
        String problem = problem(value);
        if (problem != null) {
            throw new ExtensionConfigurationException(problem);
        }
        return new Tenancy(value);
    }

    /** What is wrong with {@code value} as a tenancy, or null when nothing is. */
    public static String problem(String value) {
        if (isValid(value)) {
            return null;
        }
        return String.format("%s must be %s (it is sent as baggage and becomes a metric label), not [%s]. Set it to "
                + "a name such as '%s' or 'synthetic'.", Constants.TENANCY, FORM, value, Constants.TENANCY_VALUE);
    }

    private static boolean isValid(String value) {
        if (value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
